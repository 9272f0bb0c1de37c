/** `her2bot index build`: builds the serialized search index that start-up loads. */
import { parseArgs } from 'node:util';
import { loadKnowledge } from '../knowledge/load.ts';
import { knowledgeFingerprint, writeSnapshot } from '../knowledge/snapshot.ts';
import { DEFAULT_INDEX_PATH, writeIndexFile } from '../search/engine.ts';
import { type CliIo, UsageError } from './io.ts';

export const indexUsage = `Usage:
  her2bot index build [--out FILE]   build the search index (default ${DEFAULT_INDEX_PATH})`;

export async function indexCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { out: { type: 'string' }, dir: { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals[0] !== 'build' || positionals.length > 1) throw new UsageError('the only subcommand is build');
  const started = performance.now();
  const kb = loadKnowledge(values.dir);
  const fingerprint = knowledgeFingerprint(values.dir);
  // The validated snapshot belongs to the default knowledge folder only (it is what start-up reads).
  if (fingerprint && values.dir === undefined) writeSnapshot(kb, fingerprint);
  const path = writeIndexFile(kb, values.out ?? DEFAULT_INDEX_PATH);
  io.out(
    `search index for knowledge base ${kb.version} written to ${path} in ${Math.round(performance.now() - started)} ms`,
  );
  return 0;
}
