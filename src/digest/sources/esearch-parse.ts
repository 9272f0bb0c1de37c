/**
 * ESearch results, JSON (`retmode=json`, what the digest asks for) or XML, reduced to what the digest
 * needs: the count, the history handles, and the reasons PubMed did not run the query as written.
 *
 * PubMed does not fail a query it half understands: it drops an unknown phrase, says so in `errorlist`
 * or `warninglist`, and runs the rest (a recorded query lost one phrase and returned 40,000 unrelated
 * hits). Each such note becomes a `problem`; the source refuses to return results when there is one.
 * "No items found." is the only note that is not a problem: it is what an empty day looks like.
 */
import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import { SourceError } from '../http.ts';
import { checkWellFormed, list, node, plain, type XmlNode } from './xml.ts';

export interface ESearchResult {
  count: number;
  ids: string[];
  webEnv?: string;
  queryKey?: string;
  queryTranslation?: string;
  /** Readable notes such as `phrase not found: p.E1317Q`; empty for a query PubMed ran as written. */
  problems: string[];
}

const NOTE_LABELS: Record<string, string> = {
  phrasenotfound: 'phrase not found',
  fieldnotfound: 'field not found',
  phraseignored: 'phrase ignored',
  quotedphrasenotfound: 'quoted phrase not found',
  outputmessage: 'message',
};

const EMPTY_RESULT_MESSAGE = /^no items found\.?$/i;

const Notes = z.record(z.string(), z.union([z.array(z.unknown()), z.string(), z.null()]));

const ESearchJson = z.object({
  esearchresult: z.object({
    count: z.string().regex(/^\d+$/).optional(),
    idlist: z.array(z.string()).default([]),
    webenv: z.string().optional(),
    querykey: z.string().optional(),
    querytranslation: z.string().optional(),
    errorlist: Notes.optional(),
    warninglist: Notes.optional(),
    ERROR: z.string().optional(),
  }),
});

const xmlParser = new XMLParser({ parseTagValue: false, processEntities: false, trimValues: true });

export function parseESearch(text: string): ESearchResult {
  return text.trimStart().startsWith('{') ? parseJson(text) : parseXml(text);
}

function parseJson(text: string): ESearchResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new SourceError('parse', `ESearch response is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = ESearchJson.safeParse(data);
  if (!parsed.success) {
    throw new SourceError('parse', `ESearch JSON has an unexpected shape: ${parsed.error.issues[0]?.message}`);
  }
  const r = parsed.data.esearchresult;
  const problems = [...notes(r.errorlist ?? {}), ...notes(r.warninglist ?? {})];
  if (r.ERROR) problems.unshift(`error: ${r.ERROR}`);
  return result(r.count, r.idlist, r.webenv, r.querykey, r.querytranslation, problems);
}

function parseXml(text: string): ESearchResult {
  checkWellFormed(text, 'ESearch response');
  const root = node((xmlParser.parse(text) as XmlNode).eSearchResult);
  if (!root) throw new SourceError('parse', 'ESearch response is neither JSON nor an eSearchResult document');
  const problems = [...notes(node(root.ErrorList) ?? {}), ...notes(node(root.WarningList) ?? {})];
  const error = plain(root.ERROR);
  if (error) problems.unshift(`error: ${error}`);
  return result(
    plain(root.Count) || undefined,
    list(node(root.IdList)?.Id).map(plain),
    plain(root.WebEnv) || undefined,
    plain(root.QueryKey) || undefined,
    plain(root.QueryTranslation) || undefined,
    problems,
  );
}

function result(
  count: string | undefined,
  ids: string[],
  webEnv: string | undefined,
  queryKey: string | undefined,
  queryTranslation: string | undefined,
  problems: string[],
): ESearchResult {
  // NCBI reports some failures as a 200 with only an error note and no count: that is the note's story.
  if (count === undefined && problems.length === 0) throw new SourceError('parse', 'ESearch response has no count');
  return {
    count: count === undefined ? 0 : Number(count),
    ids,
    ...(webEnv ? { webEnv } : {}),
    ...(queryKey ? { queryKey } : {}),
    ...(queryTranslation ? { queryTranslation } : {}),
    problems,
  };
}

/** `{phrasesnotfound: ["x"], fieldsnotfound: []}` (JSON) or `{PhraseNotFound: "x"}` (XML) as readable notes. */
function notes(group: Record<string, unknown>): string[] {
  return Object.entries(group).flatMap(([key, values]) => {
    const kind = key.toLowerCase().replace(/s(?=notfound|ignored$)|s$/, '');
    const label = NOTE_LABELS[kind] ?? kind;
    return list(values)
      .map((v) => (typeof v === 'string' ? v.trim() : plain(v)))
      .filter((v) => v.length > 0 && !(label === 'message' && EMPTY_RESULT_MESSAGE.test(v)))
      .map((v) => `${label}: ${v}`);
  });
}
