/**
 * What a question asks of the card that answers it, so the card's first lines answer it: "cleopatra os"
 * leads with CLEOPATRA's OS result, "neratinib diarrhoea" with the diarrhoea figures and the label's
 * prophylaxis text, "T-DXd ILD" with T-DXd's safety lines. A card with a focus is the short first message;
 * the whole card is one click away.
 */
import { foldText } from '../knowledge/concepts.ts';
import type { KnowledgeBase } from '../knowledge/knowledge-base.ts';
import type { Statement } from '../knowledge/schema.ts';

export interface Focus {
  /** Endpoint ids of the concept layer that the question names (OS, PFS, safety, …). */
  endpoints: string[];
  /** A trial's results that report what was asked, in the trial's order (indices into `results`). */
  results: number[];
  /**
   * A trial's findings that speak to what was asked, best match first: the index into `findings` and how
   * much of the question it shares (each shared word 1, a shared endpoint 0.5).
   */
  findings: { index: number; score: number }[];
  /** An agent's safety statements, best match first, when the question is about safety (indices). */
  safety: number[];
  /** The question asks about approval or the label (an agent's card then leads with its approvals). */
  approvals: boolean;
}

const APPROVAL = /\b(?:approv\w*|fda|ema|licen[cs]\w*|label(?:led|ed)?|indications?)\b/;

const SAFETY = 'endpoint-safety';
/** Words too common in questions to say what a statement is about. */
const COMMON = new Set(
  'and the for how are was did any can use per not what which does with from that this than their there about after before into trial trials study studies data results result evidence show shows benefit when were have been patients breast cancer her2 positive her2-positive therapy treatment'.split(
    ' ',
  ),
);

/** The focus of a question on an entity's card (undefined for an entity without a card of its own). */
export function focusOf(kb: KnowledgeBase, id: string, query: string): Focus {
  const endpoints = kb.concepts.endpointsIn(query);
  const entity = kb.entity(id);
  const none: Focus = {
    endpoints: [...endpoints],
    results: [],
    findings: [],
    safety: [],
    approvals: APPROVAL.test(foldText(query)),
  };
  if (!entity) return none;
  if (entity.kind === 'evidence') {
    const e = entity.item;
    const words = withoutNames(contentWords(query), [e.name]);
    const results = e.results.flatMap((r, i) =>
      [...kb.concepts.endpointsOfResult(r.endpoint)].some((x) => endpoints.has(x)) ? [i] : [],
    );
    return { ...none, results, findings: scored(e.findings, words, (s) => sharesEndpoint(kb, s, endpoints)) };
  }
  if (entity.kind === 'agent' && endpoints.has(SAFETY)) {
    const a = entity.item;
    const words = withoutNames(
      contentWords(query),
      a.names.map((n) => n.name),
    );
    const first = scored(a.safety, words, () => false).map((x) => x.index);
    // Every safety line answers a question about safety; those sharing its words ("ILD") come first.
    return { ...none, safety: [...first, ...a.safety.map((_, i) => i).filter((i) => !first.includes(i))] };
  }
  return none;
}

/** The question's own words that can say what a statement is about (three letters or more, not filler). */
function contentWords(query: string): string[] {
  return [...new Set(foldText(query).split(/[^\p{L}\p{N}-]+/u))].filter((w) => w.length >= 3 && !COMMON.has(w));
}

/** Words of the entity's own names say nothing about which of its statements was asked for. */
function withoutNames(words: readonly string[], names: readonly string[]): string[] {
  const own = new Set(foldText(names.join(' ')).split(/[^\p{L}\p{N}-]+/u));
  return words.filter((w) => !own.has(w));
}

function sharesEndpoint(kb: KnowledgeBase, s: Statement, endpoints: ReadonlySet<string>): boolean {
  return [...kb.concepts.endpointsIn(s.text)].some((x) => endpoints.has(x));
}

/**
 * The statements that share a word with the question (as part of a word too: "diarrhoea" in
 * "antidiarrhoeal") or an endpoint it names, most shared words first; the rest are left out.
 */
function scored(statements: readonly Statement[], words: readonly string[], endpoint: (s: Statement) => boolean) {
  return statements
    .map((s, index) => {
      const text = foldText(s.text);
      // A shared word counts more than a shared endpoint: the question's own words are the more specific.
      return { index, score: words.filter((w) => text.includes(w)).length + (endpoint(s) ? 0.5 : 0) };
    })
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score || a.index - b.index);
}
