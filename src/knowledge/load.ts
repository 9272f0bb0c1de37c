/**
 * Reads `knowledge/*.yaml`, validates each file against the schema and returns an immutable
 * KnowledgeBase. Every problem names its file, line, id and field, so a reviewer can fix the YAML
 * without reading code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConceptLayer } from './concepts.ts';
import { checkConcepts } from './concepts-integrity.ts';
import { Concepts } from './concepts-schema.ts';
import { DEFAULT_KNOWLEDGE_DIR, KNOWLEDGE_FILES } from './files.ts';
import { checkIntegrity } from './integrity.ts';
import { KnowledgeBase } from './knowledge-base.ts';
import { isError, type Problem } from './problem.ts';
import { Agent, Changes, Evidence, Mechanism, Review, Scope } from './schema.ts';

export class KnowledgeError extends Error {
  constructor(readonly problems: Problem[]) {
    super(`The knowledge base has ${problems.length} problem(s):\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'KnowledgeError';
  }
}

export function formatProblem(p: Problem): string {
  const where = [p.line ? `${p.file}:${p.line}` : p.file, p.id, p.field].filter(Boolean).join(' ');
  return `${where}: ${p.message}`;
}

export interface LoadResult {
  kb: KnowledgeBase | undefined;
  problems: Problem[];
  /** The raw file texts, for hashing (the search index is rebuilt when they change). */
  sources: Record<string, string>;
}

/** Loads and checks the knowledge base; never throws for bad data (problems are returned). */
export function inspectKnowledge(dir: string = DEFAULT_KNOWLEDGE_DIR): LoadResult {
  const problems: Problem[] = [];
  const sources: Record<string, string> = {};
  const read = <T>(key: keyof typeof KNOWLEDGE_FILES, schema: z.ZodType<T>): T | undefined => {
    const file = KNOWLEDGE_FILES[key];
    let text: string;
    try {
      text = readFileSync(join(dir, file), 'utf8');
    } catch (err) {
      problems.push({ file, message: `cannot read: ${(err as Error).message}` });
      return undefined;
    }
    sources[file] = text;
    return parseAndValidate(file, text, schema, problems);
  };

  const review = read('review', Review);
  const mechanisms = read('mechanisms', Mechanism.array());
  const agents = read('agents', Agent.array());
  const evidence = read('evidence', Evidence.array());
  const scope = read('scope', Scope);
  const concepts = read('concepts', Concepts);
  const changes = read('changes', Changes);
  if (!review || !mechanisms || !agents || !evidence || !scope || !concepts || !changes) {
    return { kb: undefined, problems, sources };
  }

  const kb = new KnowledgeBase(review, mechanisms, agents, evidence, scope, new ConceptLayer(concepts), changes);
  problems.push(...checkIntegrity(kb), ...checkConcepts(kb));
  return { kb, problems, sources };
}

/** Loads the knowledge base for serving; throws a KnowledgeError listing every problem. */
export function loadKnowledge(dir: string = DEFAULT_KNOWLEDGE_DIR): KnowledgeBase {
  const { kb, problems } = inspectKnowledge(dir);
  if (!kb || problems.some(isError)) throw new KnowledgeError(problems.filter(isError));
  return kb;
}

export function parseAndValidate<T>(
  file: string,
  text: string,
  schema: z.ZodType<T>,
  problems: Problem[],
): T | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const [error] = doc.errors;
  if (error) {
    // Later parse errors usually follow from the first one; report only that, precisely.
    const line = error.linePos?.[0]?.line ?? lineCounter.linePos(error.pos[0]).line;
    problems.push({ file, line, message: `malformed YAML: ${error.message.split('\n')[0]}` });
    return undefined;
  }
  const data: unknown = doc.toJS();
  const result = schema.safeParse(data);
  if (result.success) return result.data;

  for (const issue of result.error.issues) {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    problems.push({
      file,
      line: lineOf(doc, lineCounter, path),
      id: idAt(data, path),
      field: fieldPath(path),
      message: /received undefined$/.test(issue.message) ? 'required field is missing' : issue.message,
    });
  }
  return undefined;
}

/** The line of the node at `path`, or of its nearest ancestor that exists (for missing fields). */
function lineOf(
  doc: ReturnType<typeof parseDocument>,
  lineCounter: LineCounter,
  path: (string | number)[],
): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return undefined;
}

/** The `id` of the top-level list item a path points into, if any. */
function idAt(data: unknown, path: (string | number)[]): string | undefined {
  if (!Array.isArray(data) || typeof path[0] !== 'number') return undefined;
  const item: unknown = data[path[0]];
  return item && typeof item === 'object' && 'id' in item && typeof item.id === 'string'
    ? item.id
    : `item ${path[0] + 1}`;
}

function fieldPath(path: (string | number)[]): string | undefined {
  const rest = typeof path[0] === 'number' ? path.slice(1) : path;
  if (rest.length === 0) return undefined;
  return rest.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
