/**
 * Light intent words: they tilt the ranking toward a kind of answer without being required to match.
 * "resistance pi3k" prefers the mechanism, "neratinib evidence" keeps the drug first but lifts its
 * trials, "T-DM1 vs lapatinib" asks for the trial that compared the two.
 */
import type { EntityKind } from '../knowledge/knowledge-base.ts';
import { normalize } from './analyzer.ts';

const INTENT_WORDS: Record<string, EntityKind> = {
  resistance: 'mechanism',
  resistant: 'mechanism',
  mechanism: 'mechanism',
  mechanisms: 'mechanism',
  why: 'mechanism',
  cause: 'mechanism',
  causes: 'mechanism',
  escape: 'mechanism',
  drug: 'agent',
  drugs: 'agent',
  agent: 'agent',
  agents: 'agent',
  therapy: 'agent',
  therapies: 'agent',
  treatment: 'agent',
  treatments: 'agent',
  treat: 'agent',
  overcome: 'agent',
  overcomes: 'agent',
  medication: 'agent',
  trial: 'evidence',
  trials: 'evidence',
  evidence: 'evidence',
  study: 'evidence',
  studies: 'evidence',
  data: 'evidence',
  results: 'evidence',
  outcome: 'evidence',
  outcomes: 'evidence',
  efficacy: 'evidence',
  paper: 'evidence',
  papers: 'evidence',
};

const COMPARISON_WORDS = new Set(['vs', 'versus', 'v', 'compared', 'against', 'or']);

export interface Intent {
  /** The kinds the intent words ask for, in the order they appeared. */
  kinds: EntityKind[];
  /** The query with intent words removed (unless nothing else is left). */
  text: string;
  /** For "A vs B": the two sides, each as typed. */
  comparison: [string, string] | undefined;
}

export function readIntent(query: string): Intent {
  const tokens = normalize(query).split(/\s+/).filter(Boolean);
  const kinds: EntityKind[] = [];
  const kept: string[] = [];
  for (const token of tokens) {
    const bare = token.replace(/[^\p{L}\p{N}]+/gu, '');
    const kind = INTENT_WORDS[bare];
    if (kind) {
      if (!kinds.includes(kind)) kinds.push(kind);
    } else kept.push(token);
  }
  const text = kept.length > 0 ? kept.join(' ') : tokens.join(' ');
  return { kinds, text, comparison: comparisonSides(kept) };
}

function comparisonSides(tokens: string[]): [string, string] | undefined {
  const at = tokens.findIndex((t) => COMPARISON_WORDS.has(t.replace(/[^\p{L}]+/gu, '')) && t.length <= 9);
  // "compared with/to" reads as one separator.
  if (at <= 0 || at >= tokens.length - 1) return undefined;
  const skip = tokens[at] === 'compared' && ['with', 'to'].includes(tokens[at + 1] ?? '') ? 2 : 1;
  const left = tokens.slice(0, at).join(' ');
  const right = tokens.slice(at + skip).join(' ');
  return left && right ? [left, right] : undefined;
}
