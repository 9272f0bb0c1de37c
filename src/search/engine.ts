/**
 * Builds or loads the search. The full-text index is built ahead of time (`her2bot index build`,
 * run by `npm install`) and loaded at start-up; if the knowledge base or the analyzer changed since,
 * it is rebuilt in memory, the log says so, and the file is refreshed when it can be written.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { KnowledgeBase } from '../knowledge/knowledge-base.ts';
import type { OpenLog } from '../logger.ts';
import { projectPath } from '../util/project-root.ts';
import { buildDocuments } from './documents.ts';
import { Searcher } from './search.ts';
import { buildTextIndex, loadTextIndex, type TextIndex } from './text-index.ts';

/** Bump when the analyzer, the document fields or the stored form change: old index files are then rebuilt. */
export const INDEX_FORMAT = 4;

export const DEFAULT_INDEX_PATH = projectPath('build', 'search-index.json');

interface IndexFile {
  format: number;
  fingerprint: string;
  kbVersion: string;
  builtAt: string;
  index: object;
}

export type IndexOrigin = 'loaded' | 'rebuilt';

export interface OpenedSearch {
  searcher: Searcher;
  origin: IndexOrigin;
  /** Why the index was rebuilt, when it was. */
  reason?: string;
}

/** A digest of the knowledge base's content (not its formatting) and the index format. */
export function kbFingerprint(kb: KnowledgeBase): string {
  const content = JSON.stringify([INDEX_FORMAT, kb.review, kb.mechanisms, kb.agents, kb.evidence, kb.concepts.data]);
  return createHash('sha256').update(content).digest('hex').slice(0, 32);
}

export function buildSearcher(kb: KnowledgeBase): { searcher: Searcher; index: TextIndex } {
  const documents = buildDocuments(kb);
  const index = buildTextIndex(documents);
  return { searcher: new Searcher(kb, documents, index), index };
}

export function writeIndexFile(kb: KnowledgeBase, path = DEFAULT_INDEX_PATH, index = buildSearcher(kb).index): string {
  const file: IndexFile = {
    format: INDEX_FORMAT,
    fingerprint: kbFingerprint(kb),
    kbVersion: kb.version,
    builtAt: new Date().toISOString(),
    index: index.toJSON(),
  };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(file));
  return path;
}

export function openSearch(
  kb: KnowledgeBase,
  options: { indexPath?: string | undefined; logger?: OpenLog | undefined } = {},
): OpenedSearch {
  const path = options.indexPath ?? DEFAULT_INDEX_PATH;
  const logger = options.logger;
  const current = readCurrentIndex(kb, path);
  if ('index' in current) {
    return { searcher: new Searcher(kb, buildDocuments(kb), loadTextIndex(current.index)), origin: 'loaded' };
  }
  const { reason } = current;
  logger?.warn({ indexPath: path, reason }, 'search index is out of date; rebuilding it in memory');
  const { searcher, index } = buildSearcher(kb);
  try {
    writeIndexFile(kb, path, index);
  } catch (err) {
    logger?.warn(
      { err, indexPath: path },
      'could not write the rebuilt search index; it will be rebuilt at next start',
    );
  }
  return { searcher, origin: 'rebuilt', reason };
}

/** The serialized index when the file is current for this knowledge base, else why it is not. */
function readCurrentIndex(kb: KnowledgeBase, path: string): { index: object } | { reason: string } {
  let file: Partial<IndexFile>;
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as Partial<IndexFile>;
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    return { reason: missing ? 'no index file yet' : 'index file unreadable' };
  }
  if (file.format !== INDEX_FORMAT) return { reason: `index format ${file.format} is not ${INDEX_FORMAT}` };
  if (file.fingerprint !== kbFingerprint(kb)) return { reason: 'the knowledge base changed since the index was built' };
  if (!file.index) return { reason: 'index file has no index' };
  return { index: file.index };
}
