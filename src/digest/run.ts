/**
 * Fetches every configured source for a window. A source that fails (after its own retries) is
 * reported as failed with its error, never silently left out: the digest then says which is missing.
 */
import { type Logger, scrubSecrets, silentLogger } from '../logger.ts';
import type { SourceReport } from './compose.ts';
import type { DigestWindow, LiteratureItem, LiteratureSource } from './sources/types.ts';

export interface Fetched {
  sources: SourceReport[];
  items: LiteratureItem[];
}

export async function fetchAll(
  sources: readonly LiteratureSource[],
  window: DigestWindow,
  logger: Logger = silentLogger,
): Promise<Fetched> {
  const results = await Promise.all(
    sources.map(async (source) => {
      try {
        const items = await source.fetch(window);
        return { report: { name: source.name, status: 'ok' as const, count: items.length }, items };
      } catch (err) {
        const error = scrubSecrets((err as Error).message);
        logger.warn({ source: source.name, error, window }, `digest source ${source.name} failed`);
        return { report: { name: source.name, status: 'failed' as const, count: 0, error }, items: [] };
      }
    }),
  );
  return { sources: results.map((r) => r.report), items: results.flatMap((r) => r.items) };
}
