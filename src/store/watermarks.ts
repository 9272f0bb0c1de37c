/**
 * Per literature source, the end of the last window fetched successfully. The next fetch starts a
 * little before it (the sources module decides the overlap), so the watermark is stored only after a
 * fetch succeeded and never derived from "now": a failed day is fetched again, not skipped.
 */
import type { Executor } from './engine.ts';
import { type Clock, checkKey, type Instant, toIso } from './values.ts';

export interface Watermark {
  readonly source: string;
  /** The end of the last successful window, as a UTC instant. */
  readonly windowEnd: string;
  /** When that successful fetch was recorded. */
  readonly lastRunAt: string;
}

interface Row {
  source: string;
  window_end: string;
  last_run_at: string;
}

export class WatermarkRepository {
  constructor(
    private readonly db: Executor,
    private readonly now: Clock,
  ) {}

  async get(source: string): Promise<Watermark | undefined> {
    const [row] = await this.db.all<Row>('SELECT * FROM source_watermarks WHERE source = @source', { source });
    return row && toWatermark(row);
  }

  /**
   * Records a successful fetch up to `windowEnd`. It replaces the stored value even if that was later:
   * going back only costs a re-fetch (items are deduplicated per channel), and it lets an operator
   * re-run a range on purpose.
   */
  async set(source: string, windowEnd: Instant): Promise<Watermark> {
    const [row] = await this.db.all<Row>(
      `INSERT INTO source_watermarks (source, window_end, last_run_at) VALUES (@source, @windowEnd, @at)
       ON CONFLICT (source) DO UPDATE SET window_end = excluded.window_end, last_run_at = excluded.last_run_at
       RETURNING *`,
      {
        source: checkKey(source, 'source name', 64),
        windowEnd: toIso(windowEnd, 'window end'),
        at: this.now().toISOString(),
      },
    );
    return toWatermark(row!);
  }
}

function toWatermark(row: Row): Watermark {
  return { source: row.source, windowEnd: row.window_end, lastRunAt: row.last_run_at };
}
