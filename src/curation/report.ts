/**
 * `her2bot curation export`: what leaves the server, and only for the curator. The accepted
 * candidates as draft evidence items (YAML in the knowledge base's schema, every figure left to
 * verify), and a markdown report of the queue, the reports on answer cards and the feedback on
 * digest items, by item. People are counted, never named.
 */
import { stringify } from 'yaml';
import type { KnowledgeBase } from '../knowledge/knowledge-base.ts';
import { displayName } from '../knowledge/knowledge-base.ts';
import type { Candidate, Feedback } from '../store/store.ts';
import { evidenceDrafts } from './evidence-draft.ts';

export interface CurationExport {
  /** Draft evidence items for knowledge/evidence.yaml. */
  yaml: string;
  /** How many drafts the YAML holds. */
  drafts: number;
  report: string;
}

export function curationExport(
  kb: KnowledgeBase,
  candidates: readonly Candidate[],
  feedback: readonly Feedback[],
  generatedAt: Date,
): CurationExport {
  const accepted = candidates.filter((c) => c.status === 'accepted');
  const drafts = evidenceDrafts(kb, accepted);
  const header = [
    `# Draft evidence items from the digest's curation queue (knowledge base ${kb.version}, ${generatedAt.toISOString()}).`,
    '# UNVERIFIED: check every field against the source, add results only as printed there, then paste into',
    '# knowledge/evidence.yaml, link them from agents/mechanisms, run `her2bot kb lint` and ship a new version.',
  ].join('\n');
  const yaml = drafts.length > 0 ? `${header}\n${stringify(drafts, { lineWidth: 0 })}` : `${header}\n[]\n`;
  return { yaml, drafts: drafts.length, report: markdownReport(kb, candidates, feedback, generatedAt) };
}

function markdownReport(
  kb: KnowledgeBase,
  candidates: readonly Candidate[],
  feedback: readonly Feedback[],
  generatedAt: Date,
): string {
  const name = (id: string) => displayName(kb, id) ?? id;
  const lines = [
    '# Curation report',
    '',
    `Knowledge base ${kb.version}; generated ${generatedAt.toISOString()}. For curators only: it quotes readers' reports.`,
    '',
    '## Candidates',
    '',
  ];
  if (candidates.length === 0) lines.push('None.', '');
  for (const status of ['accepted', 'open', 'dismissed'] as const) {
    const list = candidates.filter((c) => c.status === status);
    if (list.length === 0) continue;
    lines.push(`### ${status[0]!.toUpperCase()}${status.slice(1)} (${list.length})`, '');
    for (const c of list) {
      const about =
        c.kind === 'new_data'
          ? `new data on ${c.subject} (\`${c.entryId}\`)`
          : `not in the knowledge base: ${c.subject}`;
      lines.push(
        `- #${c.id} ${about}: [${String(c.item.title ?? c.itemKey)}](${String(c.item.url ?? '')}) · ${c.itemKey}`,
      );
      if (c.note) lines.push(`  - note: ${c.note}`);
    }
    lines.push('');
  }

  const reports = feedback.filter((f) => f.action === 'report');
  lines.push('## Reports on answer cards', '');
  if (reports.length === 0) lines.push('None.', '');
  for (const [key, list] of groupBy(reports, (f) => f.itemKey)) {
    lines.push(`### ${list[0]!.itemTitle ?? key} (\`${key}\`)`, '');
    for (const f of list)
      lines.push(`- ${f.createdAt.slice(0, 10)} (${f.surface}, KB ${f.kbVersion}): ${quote(f.text ?? '')}`);
    lines.push('');
  }

  const onItems = feedback.filter((f) => f.action !== 'report');
  lines.push('## Feedback on digest items', '');
  if (onItems.length === 0) lines.push('None.', '');
  for (const [key, list] of groupBy(onItems, (f) => f.itemKey)) {
    const count = (a: Feedback['action']) => list.filter((f) => f.action === a).length;
    lines.push(`### ${list.at(-1)!.itemTitle || key} (\`${key}\`)`, '');
    lines.push(
      `- useful ${count('useful')} · not relevant ${count('not_relevant')} · wrong tags ${count('wrong_tags')}`,
      `- tags as shown: ${tagsWithReasons(list.at(-1)!, name) || '(none)'}`,
    );
    const removed = tally(list.flatMap((f) => f.tagsRemoved));
    const added = tally(list.flatMap((f) => f.tagsAdded));
    if (removed.length > 0)
      lines.push(`- readers would remove: ${removed.map(([t, n]) => `${name(t)} ×${n}`).join(', ')}`);
    if (added.length > 0) lines.push(`- readers would add: ${added.map(([t, n]) => `${name(t)} ×${n}`).join(', ')}`);
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

function tagsWithReasons(f: Feedback, name: (id: string) => string): string {
  return f.tags.map((t) => (f.reasons[t] ? `${name(t)} ('${f.reasons[t]}')` : name(t))).join('; ');
}

function groupBy<T>(list: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const t of list) groups.set(key(t), [...(groups.get(key(t)) ?? []), t]);
  return groups;
}

function tally(ids: readonly string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** A reader's words on one line, so they cannot start a heading or a list of their own. */
function quote(text: string): string {
  return `“${text.replace(/\s+/g, ' ').trim()}”`;
}
