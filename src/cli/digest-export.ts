/**
 * `her2bot digest export --channel KEY --since YYYY-MM-DD [--format csv|ris|bibtex] [--out FILE]`:
 * what one channel's digests showed since a date, as a file a reference manager imports.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { databaseLocation, loadConfig, readEnvironment } from '../config.ts';
import { exportFile } from '../digest/export-file.ts';
import { EXPORT_FORMATS, type ExportFormat } from '../digest/export-formats.ts';
import { openStore } from '../store/store.ts';
import { type CliIo, UsageError } from './io.ts';
import { openCore } from './open-core.ts';

export const digestExportUsage = `Usage:
  her2bot digest export --channel KEY --since YYYY-MM-DD [--format csv|ris|bibtex] [--out FILE]

  KEY is the channel's key as digest status and the logs show it (slack:T…:C…, teams:19:…).
  RIS and BibTeX import into Zotero, EndNote and Mendeley. Without --out the file goes to stdout.`;

export async function digestExportCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      channel: { type: 'string' },
      since: { type: 'string' },
      format: { type: 'string', default: 'csv' },
      out: { type: 'string' },
    },
  });
  if (!values.channel) throw new UsageError('--channel is required');
  if (!values.since || !/^\d{4}-\d{2}-\d{2}$/.test(values.since))
    throw new UsageError('--since YYYY-MM-DD is required');
  const format = values.format as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) throw new UsageError(`unknown format '${values.format}'`);
  const store = await openStore(databaseLocation(loadConfig(readEnvironment())));
  try {
    const core = await openCore(io);
    const file = await exportFile(
      { store, kb: core.kb },
      { channelKey: values.channel, since: `${values.since}T00:00:00Z`, format },
      new Date(),
    );
    if (values.out) {
      writeFileSync(values.out, file.content);
      io.out(`Wrote ${file.items} item(s) to ${values.out}.`);
    } else {
      io.out(file.content);
    }
    if (file.items === 0) io.err(`Nothing was posted to ${values.channel} since ${values.since}.`);
    return 0;
  } finally {
    await store.close();
  }
}
