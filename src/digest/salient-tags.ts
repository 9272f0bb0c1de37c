/**
 * Which mechanisms and agents a paper is about, each with the phrase that made it so. A name anywhere
 * is not enough: a name after "stratified by" or "subgroup", or before "status", is a covariate; a
 * name next to "inhibitor of", "blockade" or "-targeted" is a drug's target, not a resistance
 * mechanism (it names the inhibitor class instead: "inhibition of Met" → MET inhibitors); a generic
 * alias (AKT, EGFR) needs a second mention or the title. Mechanisms described without a name are found
 * by the concept layer's phrases; a drug implies the mechanism it acts on (everolimus → PI3K pathway),
 * and a trial named without its drugs implies its arms (DESTINY-Breast03 → T-DXd, T-DM1).
 */
import type { KnowledgeBase } from '../knowledge/knowledge-base.ts';
import { buildDocuments, type SearchDocument } from '../search/documents.ts';
import { analysedWords, type NameSpan, PhraseMatcher } from '../search/phrase-matcher.ts';
import type { Sentence } from './abstract-sentences.ts';
import { type Token, TokenPhrases } from './token-phrases.ts';

export type TagSource = 'name' | 'description' | 'drug class' | 'trial' | 'drug';

export interface Tag {
  id: string;
  /** The phrase that triggered the tag, as written (descriptions) or as the knowledge base names it. */
  reason: string;
  source: TagSource;
  score: number;
}

export interface TagReading {
  mechanisms: Tag[];
  agents: Tag[];
}

/** A tag needs this much salience: one plain mention, or two of a generic alias, or a title mention. */
const THRESHOLD = 1;
const TITLE_FACTOR = 2;
const WEAK_VALUE = 0.5;
/** Words that may stand between a target and "inhibitor" ("EGFR tyrosine kinase inhibitors"). */
const BRIDGE = new Set(['tyrosine', 'kinase', 'pathway', 'her2', 'receptor', 'family', 'signaling', 'signalling']);
const TRIAL_KINDS = new Set(['phase-1', 'phase-1-2', 'phase-2', 'phase-3', 'phase-3b-4', 'pooled-analysis']);
const HAZARD_RATIO = /\bhazard ratios?\b/g;

const compacts = new Map<string, string>();
/** A name's analysed words run together ("PI3K/AKT" → "pi3kakt"); names repeat, so it is remembered. */
function compactOf(text: string): string {
  let c = compacts.get(text);
  if (c === undefined) {
    c = analysedWords(text).join('');
    if (compacts.size < 10_000) compacts.set(text, c);
  }
  return c;
}
const normalised = (text: string) =>
  text
    .toLowerCase()
    .replace(/[\s\-/]+/g, ' ')
    .trim();

export class TagReader {
  private readonly matcher: PhraseMatcher;
  private readonly kinds = new Map<string, 'mechanism' | 'agent' | 'evidence'>();
  private readonly trialAgents = new Map<string, string[]>();
  private readonly trialNames = new Map<string, string>();
  /** Descriptions without names, and drug-class phrases that point at one agent only. */
  private readonly described: TokenPhrases;
  private readonly describedIds = new Map<string, { id: string; source: TagSource }[]>();
  private readonly covariateCues: TokenPhrases;
  private readonly covariateAfter: Set<string>;
  /** Words that may stand between a name and "status" ("ER expression status"). */
  private readonly covariateBridge: Set<string>;
  private readonly targetBefore: Set<string>;
  private readonly targetAfter: Set<string>;
  private readonly classByTarget = new Map<string, string>();
  private readonly weak = new Map<string, Set<string>>();
  private readonly alterationCues: Set<string>;
  /** Matches a sentence that holds one of the concept layer's ambiguous short aliases (MET, HR, SRC, ER). */
  private readonly aliasHint: RegExp;
  private readonly actsOn: { agent: string; mechanism: string; via: Set<string> }[];

  constructor(private readonly kb: KnowledgeBase) {
    const documents: SearchDocument[] = buildDocuments(kb).filter((d) => d.kind === 'mechanism' || d.kind === 'agent');
    for (const e of kb.evidence) {
      if (!TRIAL_KINDS.has(e.kind) || e.agents.length === 0) continue;
      this.trialAgents.set(e.id, e.agents);
      this.trialNames.set(e.id, e.name);
      documents.push({
        id: e.id,
        kind: 'evidence',
        title: e.name,
        names: e.name,
        heading: '',
        body: '',
        phrases: [e.name, ...e.aliases].map((text) => ({ text, weight: 1 })),
      });
    }
    for (const d of documents) this.kinds.set(d.id, d.kind as 'mechanism' | 'agent' | 'evidence');
    this.matcher = new PhraseMatcher(documents);

    const concepts = kb.concepts.data;
    const addDescribed = (phrase: string, id: string, source: TagSource) => {
      const key = normalised(phrase);
      const list = this.describedIds.get(key) ?? [];
      if (!list.some((x) => x.id === id)) list.push({ id, source });
      this.describedIds.set(key, list);
    };
    for (const [id, m] of Object.entries(concepts.mechanisms))
      for (const p of m.describe) addDescribed(p, id, 'description');
    for (const [id, a] of Object.entries(concepts.agents))
      for (const p of a.describe) addDescribed(p, id, 'description');
    // A class phrase tags only when it means one agent ("Fc-engineered antibody"), never "TKI".
    const classOwners = new Map<string, Set<string>>();
    for (const [id, a] of Object.entries(concepts.agents)) {
      for (const p of a.classes) classOwners.set(normalised(p), (classOwners.get(normalised(p)) ?? new Set()).add(id));
    }
    for (const [phrase, owners] of classOwners)
      if (owners.size === 1) addDescribed(phrase, [...owners][0]!, 'drug class');
    this.described = new TokenPhrases([...this.describedIds.keys()]);

    const digest = concepts.digest;
    this.covariateCues = new TokenPhrases(digest.covariateCues);
    this.covariateAfter = new Set(digest.covariateAfter.map((p) => analysedWords(p).at(-1)!).filter(Boolean));
    this.covariateBridge = new Set(digest.covariateAfter.flatMap((p) => analysedWords(p).slice(0, -1)));
    this.targetBefore = new Set(digest.targetBefore.map((p) => analysedWords(p).at(-1)!).filter(Boolean));
    this.targetAfter = new Set(digest.targetAfter.map((p) => analysedWords(p).at(-1)!).filter(Boolean));
    for (const [agent, targets] of Object.entries(digest.classTargets)) {
      for (const t of targets) this.classByTarget.set(compactOf(t), agent);
    }
    for (const [mechanism, aliases] of Object.entries(digest.weakAliases)) {
      this.weak.set(mechanism, new Set(aliases.map(compactOf)));
    }
    const escapeRegExp = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    this.aliasHint = new RegExp(
      `\\b(?:${concepts.ambiguous.map((r) => escapeRegExp(r.alias)).join('|') || '(?!)'})\\b`,
      'i',
    );
    this.alterationCues = new Set(digest.alterationCues.flatMap(analysedWords));
    this.actsOn = digest.actsOn.map((r) => ({ ...r, via: new Set(r.via.map(compactOf)) }));
  }

  read(sentences: readonly Sentence[]): TagReading {
    const mechanisms = new Map<string, Tag>();
    const agents = new Map<string, Tag>();
    /** The agents' names as matched, so `actsOn.via` can ask which member was named. */
    const agentNames = new Map<string, Set<string>>();
    // Within a sentence an entity counts once, at its best mention; across sentences mentions add up.
    const pendingMechanisms = new Map<string, Tag>();
    const pendingAgents = new Map<string, Tag>();
    const credit = (into: Map<string, Tag>, id: string, reason: string, source: TagSource, value: number) => {
      const tag = into.get(id);
      if (!tag || value > tag.score || (value === tag.score && source === 'description' && tag.source === 'name'))
        into.set(id, { id, reason, source, score: value });
    };
    const best = new Map<Tag, number>();
    const flush = (pending: Map<string, Tag>, totals: Map<string, Tag>) => {
      for (const t of pending.values()) {
        const total = totals.get(t.id);
        if (!total) {
          const copy = { ...t };
          totals.set(t.id, copy);
          best.set(copy, t.score);
        } else {
          if (t.score > (best.get(total) ?? 0)) {
            total.reason = t.reason;
            total.source = t.source;
            best.set(total, t.score);
          }
          total.score += t.score;
        }
      }
      pending.clear();
    };

    for (const s of sentences) {
      const factor = s.role === 'title' ? TITLE_FACTOR : 1;
      // Most sentences hold no ambiguous short alias: the cheap test spares them the context rules.
      let cleaned = this.aliasHint.test(s.text) ? this.kb.concepts.withoutFalseAliases(s.text, 'text') : s.folded;
      if (cleaned.includes('hazard ratio')) cleaned = cleaned.replace(HAZARD_RATIO, (m) => ' '.repeat(m.length));
      const words = analysedWords(cleaned);
      const covariateFrom = this.firstCue(cleaned, s.tokens, words);
      for (const span of this.matcher.matchExactSpans(words)) {
        const kind = this.kinds.get(span.entity);
        // Single letters joined into a name ("H/R" genotypes read as HR) are no mention.
        if (span.to - span.from > 1 && words.slice(span.from, span.to).every((w) => w.length === 1)) continue;
        if (span.from >= covariateFrom || this.isStatus(words, span.to)) continue;
        if (kind === 'agent') {
          credit(pendingAgents, span.entity, span.text, 'name', factor);
          namesOf(agentNames, span.entity).add(compactOf(span.text));
        } else if (kind === 'evidence') {
          // A trial named by an ordinary word ("CONTROL", "SOPHIA") counts only as written, in capitals;
          // a name with a digit ("DESTINY-Breast03", "BOLERO-3") is unambiguous in any case.
          if (!/\d/.test(span.text) && !s.text.includes(span.text)) continue;
          for (const agent of this.trialAgents.get(span.entity) ?? [])
            credit(pendingAgents, agent, this.trialNames.get(span.entity)!, 'trial', factor);
        } else if (kind === 'mechanism') {
          this.creditMechanism(span, words, factor, pendingMechanisms, pendingAgents, agentNames, credit);
        }
      }
      for (const m of this.described.all(s.tokens)) {
        const phrase = s.text.slice(m.start, m.end);
        for (const { id, source } of this.describedIds.get(m.phrase) ?? []) {
          credit(this.kinds.get(id) === 'agent' ? pendingAgents : pendingMechanisms, id, phrase, source, factor);
        }
      }
      flush(pendingMechanisms, mechanisms);
      flush(pendingAgents, agents);
    }

    const agentTags = salient(agents);
    for (const rule of this.actsOn) {
      const agent = agentTags.find((t) => t.id === rule.agent);
      if (!agent) continue;
      const names = agentNames.get(rule.agent) ?? new Set();
      if (rule.via.size > 0 && ![...names].some((n) => rule.via.has(n))) continue;
      credit(pendingMechanisms, rule.mechanism, agent.reason, 'drug', THRESHOLD);
      flush(pendingMechanisms, mechanisms);
    }
    return { mechanisms: salient(mechanisms), agents: agentTags };
  }

  private creditMechanism(
    span: NameSpan,
    words: readonly string[],
    factor: number,
    mechanisms: Map<string, Tag>,
    agents: Map<string, Tag>,
    agentNames: Map<string, Set<string>>,
    credit: (into: Map<string, Tag>, id: string, reason: string, source: TagSource, value: number) => void,
  ): void {
    // "ER-negative", "HER3-negative": a status, not a mechanism at work.
    if (words[span.to] === 'negative') return;
    const before =
      this.targetBefore.has(words[span.from - 1] ?? '') ||
      (BRIDGE.has(words[span.from - 1] ?? '') && this.targetBefore.has(words[span.from - 2] ?? ''));
    let next = span.to;
    while (next < words.length && next < span.to + 3 && BRIDGE.has(words[next]!)) next++;
    const after = this.targetAfter.has(words[next] ?? '');
    if (before || after) {
      // A drug's target: it names the inhibitor class, and is no mechanism at work.
      const agent = this.classByTarget.get(compactOf(span.text));
      if (agent) {
        const cue = this.targetBefore.has(words[span.from - 1] ?? '') ? words[span.from - 1] : words[span.from - 2];
        const reason = before ? `${cue} of ${span.text}` : `${span.text} ${words[next]}`;
        credit(agents, agent, reason, 'drug class', factor);
        namesOf(agentNames, agent).add(compactOf(span.text));
      }
      return;
    }
    // A generic alias counts fully only where the sentence says the node is altered or at work
    // ("Akt was reactivated"), not where it is a readout ("attenuates mTORC1 activity").
    const weak = this.weak.get(span.entity)?.has(compactOf(span.text)) ?? false;
    const value = weak ? (words.some((w) => this.alterationCues.has(w)) ? WEAK_VALUE : WEAK_VALUE / 2) : 1;
    credit(mechanisms, span.entity, span.text, 'name', value * factor);
  }

  /** "… status", "… expression status" right after a name: a covariate. */
  private isStatus(words: readonly string[], at: number): boolean {
    const next = words[at] ?? '';
    return (
      this.covariateAfter.has(next) || (this.covariateBridge.has(next) && this.covariateAfter.has(words[at + 1] ?? ''))
    );
  }

  /** Word position of the first covariate cue ("stratified by", "subgroup analyses by"), or Infinity. */
  private firstCue(folded: string, ts: readonly Token[], words: readonly string[]): number {
    const cue = this.covariateCues.first(ts);
    if (!cue) return Number.POSITIVE_INFINITY;
    return cue.start === 0 ? 0 : Math.min(words.length, analysedWords(folded.slice(0, cue.start)).length);
  }
}

function namesOf(agentNames: Map<string, Set<string>>, agent: string): Set<string> {
  let names = agentNames.get(agent);
  if (!names) {
    names = new Set();
    agentNames.set(agent, names);
  }
  return names;
}

/** Tags that reached the threshold, most salient first. */
function salient(tags: Map<string, Tag>): Tag[] {
  return [...tags.values()]
    .filter((t) => t.score >= THRESHOLD)
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}
