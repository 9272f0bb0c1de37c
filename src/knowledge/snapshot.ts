/**
 * The validated knowledge base, kept as JSON in build/knowledge.json. Parsing the YAML and checking it
 * against the schema takes most of a CLI answer's time (and loads yaml and zod), so it is done once, by
 * `her2bot index build` (which `npm install` runs) or by the first start after the YAML changed;
 * later starts read the snapshot. The snapshot is used only while its fingerprint matches the YAML
 * files and the code that reads them (this folder's modules), so an edit to either is never masked.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectPath } from '../util/project-root.ts';
import { ConceptLayer } from './concepts.ts';
import type { ConceptsData } from './concepts-schema.ts';
import { DEFAULT_KNOWLEDGE_DIR, KNOWLEDGE_FILES } from './files.ts';
import { KnowledgeBase } from './knowledge-base.ts';
import type { Agent, Changes, Evidence, Mechanism, Review, Scope } from './schema.ts';

export const DEFAULT_SNAPSHOT_PATH = projectPath('build', 'knowledge.json');

interface SnapshotFile {
  fingerprint: string;
  review: Review;
  mechanisms: Mechanism[];
  agents: Agent[];
  evidence: Evidence[];
  scope: Scope;
  concepts: ConceptsData;
  changes: Changes;
}

export type SnapshotOrigin = 'snapshot' | 'validated';

/**
 * The knowledge base in `dir`, from the snapshot when it is current, else parsed and validated (throws
 * a KnowledgeError listing every problem) and the snapshot refreshed when it can be written. Only the
 * default folder has a snapshot unless one is named (another folder is validated at every start).
 */
export async function openKnowledge(
  dir: string = DEFAULT_KNOWLEDGE_DIR,
  snapshotPath: string | undefined = resolve(dir) === DEFAULT_KNOWLEDGE_DIR ? DEFAULT_SNAPSHOT_PATH : undefined,
): Promise<{ kb: KnowledgeBase; origin: SnapshotOrigin }> {
  const fingerprint = snapshotPath && knowledgeFingerprint(dir);
  const snapshot = fingerprint && snapshotPath && readSnapshot(snapshotPath);
  if (snapshot && snapshot.fingerprint === fingerprint) {
    const { review, mechanisms, agents, evidence, scope, concepts, changes } = snapshot;
    const kb = new KnowledgeBase(review, mechanisms, agents, evidence, scope, new ConceptLayer(concepts), changes);
    return { kb, origin: 'snapshot' };
  }
  // yaml and zod are loaded only here, when the YAML has to be read.
  const { loadKnowledge } = await import('./load.ts');
  const kb = loadKnowledge(dir);
  if (fingerprint && snapshotPath) {
    try {
      writeSnapshot(kb, fingerprint, snapshotPath);
    } catch {
      // A read-only checkout still works: the YAML is validated at every start instead.
    }
  }
  return { kb, origin: 'validated' };
}

export function writeSnapshot(kb: KnowledgeBase, fingerprint: string, path = DEFAULT_SNAPSHOT_PATH): void {
  const file: SnapshotFile = {
    fingerprint,
    review: kb.review,
    mechanisms: [...kb.mechanisms],
    agents: [...kb.agents],
    evidence: [...kb.evidence],
    scope: kb.scope,
    concepts: kb.concepts.data,
    changes: kb.changes,
  };
  mkdirSync(dirname(path), { recursive: true });
  // Written aside and renamed, so a concurrent reader never sees half a file.
  const partial = `${path}.${process.pid}.tmp`;
  writeFileSync(partial, JSON.stringify(file));
  renameSync(partial, path);
}

/** A digest of the YAML files and of the modules that parse and check them; undefined if a file is unreadable. */
export function knowledgeFingerprint(dir: string = DEFAULT_KNOWLEDGE_DIR): string | undefined {
  const hash = createHash('sha256');
  const here = dirname(fileURLToPath(import.meta.url));
  const ownExtension = extname(fileURLToPath(import.meta.url));
  try {
    for (const file of readdirSync(here)
      .filter((f) => f.endsWith(ownExtension))
      .sort()) {
      hash.update(file).update(readFileSync(join(here, file)));
    }
    for (const file of Object.values(KNOWLEDGE_FILES)) hash.update(file).update(readFileSync(join(dir, file)));
  } catch {
    return undefined;
  }
  return hash.digest('hex').slice(0, 32);
}

function readSnapshot(path: string): SnapshotFile | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as SnapshotFile;
  } catch {
    return undefined;
  }
}
