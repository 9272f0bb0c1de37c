/**
 * The knowledge base as it was at a commit, read from git, and what changed since: for checking that
 * knowledge/changes.yaml lists exactly what a release added, changed and removed. Comments and
 * formatting are not changes; any difference in the parsed data is.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { parse } from 'yaml';

const ROOT = resolve(import.meta.dirname, '../..');
const ENTITY_FILES = ['mechanisms.yaml', 'agents.yaml', 'evidence.yaml'] as const;

type Item = { id: string } & Record<string, unknown>;
export interface Snapshot {
  items: Map<string, Item>;
  review: Record<string, unknown>;
}

/** The knowledge base at `commit`, or undefined when git or that commit is not available (a shallow clone). */
export function knowledgeAt(commit: string): Snapshot | undefined {
  try {
    const read = (file: string) =>
      execFileSync('git', ['show', `${commit}:knowledge/${file}`], { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' });
    return snapshot(read);
  } catch {
    return undefined;
  }
}

export function knowledgeNow(): Snapshot {
  return snapshot((file) => execFileSync('cat', [resolve(ROOT, 'knowledge', file)], { encoding: 'utf8' }));
}

function snapshot(read: (file: string) => string): Snapshot {
  const items = new Map<string, Item>();
  for (const file of ENTITY_FILES) for (const item of parse(read(file)) as Item[]) items.set(item.id, item);
  return { items, review: parse(read('review.yaml')) as Record<string, unknown> };
}

export interface Difference {
  added: string[];
  changed: string[];
  removed: string[];
}

export function difference(before: Snapshot, after: Snapshot): Difference {
  const added = [...after.items.keys()].filter((id) => !before.items.has(id));
  const removed = [...before.items.keys()].filter((id) => !after.items.has(id));
  const changed = [...after.items.keys()].filter(
    (id) => before.items.has(id) && canonical(before.items.get(id)) !== canonical(after.items.get(id)),
  );
  const withoutVersion = (r: Record<string, unknown>) => ({ ...r, knowledgeBase: undefined });
  if (canonical(withoutVersion(before.review)) !== canonical(withoutVersion(after.review))) changed.push('review');
  return { added, changed, removed };
}

/** JSON with keys sorted, so key order in the YAML does not count as a change. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
