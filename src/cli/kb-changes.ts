/** `her2bot kb changes [--since VERSION] [--json]`: what each release added, changed and corrected. */
import { displayName, type KnowledgeBase } from '../knowledge/knowledge-base.ts';
import type { Release } from '../knowledge/schema.ts';
import { type CliIo, UsageError } from './io.ts';

export function kbChanges(kb: KnowledgeBase, since: string | undefined, json: boolean, io: CliIo): number {
  if (since !== undefined && !/^\d+\.\d+\.\d+$/.test(since)) throw new UsageError(`--since takes a version like 1.0.0`);
  if (since !== undefined && !kb.changes.releases.some((r) => r.version === since)) {
    throw new UsageError(`no release ${since}; releases: ${kb.changes.releases.map((r) => r.version).join(', ')}`);
  }
  // Without --since: the newest release only.
  const releases = since === undefined ? kb.changes.releases.slice(0, 1) : kb.releasesSince(since);
  if (json) {
    io.out(JSON.stringify({ version: kb.version, since: since ?? null, releases }, null, 2));
    return 0;
  }
  if (releases.length === 0) {
    io.out(`No release after ${since}: the knowledge base is at ${kb.version} (${kb.versionDate}).`);
    return 0;
  }
  io.out(releases.map((r) => releaseText(kb, r)).join('\n\n'));
  return 0;
}

function releaseText(kb: KnowledgeBase, r: Release): string {
  const line = (id: string, what?: string) =>
    `    ${id.padEnd(30)} ${displayName(kb, id) ?? id}${what ? `: ${what}` : ''}`;
  const block = (title: string, lines: string[]) =>
    lines.length > 0 ? [`  ${title} (${lines.length}):`, ...lines] : [];
  return [
    `Knowledge base ${r.version} (${r.date}): ${r.summary}`,
    ...block(
      'added',
      r.added.map((id) => line(id)),
    ),
    ...block(
      'corrected',
      r.corrected.map((c) => line(c.id, c.what)),
    ),
    ...block(
      'changed',
      r.changed.map((id) => line(id)),
    ),
    ...block(
      'removed',
      r.removed.map((id) => `    ${id}`),
    ),
    ...block(
      'notes',
      r.notes.map((n) => `    - ${n}`),
    ),
  ].join('\n');
}
