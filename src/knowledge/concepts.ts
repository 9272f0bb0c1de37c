/**
 * The concept layer compiled for matching: every phrase list of `knowledge/concepts.yaml` becomes one
 * regular expression that finds its phrases as whole words, case-insensitive, with spaces, hyphens and
 * slashes interchangeable and en dashes or minus signs read as hyphens. Used by the search to understand a
 * question and by the digest classifier to read an abstract.
 */
import type { ConceptsData, Setting } from './concepts-schema.ts';

/** Lower case, with every dash and minus sign as "-" and curly apostrophes straight. */
export function foldText(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2010-\u2015\u2212\uFE63\uFF0D]/g, '-')
    .replace(/[\u2018\u2019\u02BC]/g, "'");
}

/**
 * A word character of folded text, without the `u` flag (Unicode-mode expressions with property escapes
 * compile slowly, and there are many of them): ASCII letters and digits and every non-ASCII letter.
 */
const W = '0-9a-z\\u00aa-\\u02ff\\u0370-\\u1fff\\u2c00-\\uffff';
const BEFORE = `(?<![${W}])`;
const AFTER = `(?![${W}])`;

/** The expression of one phrase, without its word boundaries. */
function phraseBody(phrase: string): string {
  const folded = foldText(phrase).trim();
  // Separators between word characters are interchangeable; a trailing "-" or "+" ("HR-", "ER+") is part
  // of the phrase and must be written.
  const parts = folded.split(/(?<=[\p{L}\p{N}'])[\s\-/]+(?=[\p{L}\p{N}])|\s+/u).filter(Boolean);
  return parts.map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/'/g, "'?")).join('[\\s\\-/]*');
}

/**
 * One phrase as an expression with its word boundaries, for callers that build their own grammar
 * around phrases (the digest reads a HER2 term and the qualifier after it).
 */
export function phrasePattern(phrase: string): string {
  const folded = foldText(phrase).trim();
  const start = /^[0-9a-z\u00aa-\u02ff\u0370-\u1fff\u2c00-\uffff]/.test(folded) ? BEFORE : '';
  const end = /[0-9a-z\u00aa-\u02ff\u0370-\u1fff\u2c00-\uffff+-]$/.test(folded) ? AFTER : '';
  return `${start}${phraseBody(phrase)}${end}`;
}

/** Phrases as one alternation between word boundaries; longest first, so the longest wins. */
function alternation(phrases: readonly string[]): string {
  const sorted = [...new Set(phrases)].sort((a, b) => b.length - a.length);
  return sorted.map(phraseBody).join('|');
}

/** A list of phrases that can be looked for in a text, as one compiled expression. */
export class PhraseSet {
  private readonly pattern: RegExp | undefined;
  private readonly global: RegExp | undefined;

  constructor(readonly phrases: readonly string[]) {
    const source = alternation(phrases);
    this.pattern = source ? new RegExp(`${BEFORE}(?:${source})${AFTER}`) : undefined;
    this.global = source ? new RegExp(`${BEFORE}(?:${source})${AFTER}`, 'g') : undefined;
  }

  /** The first phrase found in an already folded text (see foldText), as written there. */
  find(folded: string): string | undefined {
    return this.pattern?.exec(folded)?.[0];
  }

  /** The text with every occurrence replaced by a space. */
  strip(folded: string): string {
    return this.global ? folded.replace(this.global, ' ') : folded;
  }

  /** Every occurrence, with where it is, in an already folded text. */
  all(folded: string): { text: string; index: number }[] {
    if (!this.global) return [];
    return [...folded.matchAll(this.global)].map((m) => ({ text: m[0], index: m.index }));
  }
}

/**
 * Several named phrase lists searched in one pass: which of them occur in a text. One expression with a
 * group per list, so a section of the concept layer costs one scan of the text, not one per concept.
 */
export class PhraseGroups {
  private readonly pattern: RegExp | undefined;
  private readonly ids: string[] = [];

  constructor(groups: readonly { id: string; phrases: readonly string[] }[]) {
    const sources: string[] = [];
    for (const g of groups) {
      const source = alternation(g.phrases);
      if (!source) continue;
      this.ids.push(g.id);
      sources.push(`(${source})`);
    }
    // A phrase of one group may contain another's ("after trastuzumab emtansine" and "after trastuzumab"):
    // the scan restarts one character after each match start, so overlapping phrases are all seen.
    this.pattern = sources.length > 0 ? new RegExp(`${BEFORE}(?:${sources.join('|')})${AFTER}`, 'g') : undefined;
  }

  /** The ids of the lists that occur in an already folded text. */
  in(folded: string): Set<string> {
    const out = new Set<string>();
    const pattern = this.pattern;
    if (!pattern) return out;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(folded); m; m = pattern.exec(folded)) {
      for (let g = 1; g < m.length; g++) if (m[g] !== undefined) out.add(this.ids[g - 1]!);
      pattern.lastIndex = m.index + 1;
    }
    return out;
  }
}

interface Labelled<I extends string> {
  id: I;
  label: string;
}

export interface ScopeMatch {
  scope: string;
  /** The words of the question that put it outside the knowledge base. */
  phrase: string;
}

export type GreetingKind = 'hello' | 'thanks';

export class ConceptLayer {
  readonly settings: readonly (Labelled<string> & { kind: Setting['kind']; agent?: string | undefined })[];
  readonly endpoints: readonly Labelled<string>[];
  readonly comparators: readonly Labelled<string>[];
  readonly designs: readonly (Labelled<string> & { kinds: readonly string[] })[];
  readonly companions: readonly Labelled<string>[];
  private readonly settingGroups: PhraseGroups;
  private readonly settingExclusions: PhraseGroups;
  private readonly endpointGroups: PhraseGroups;
  private readonly resultGroups: PhraseGroups;
  private readonly comparatorGroups: PhraseGroups;
  private readonly companionGroups: PhraseGroups;
  private readonly designGroups: PhraseGroups;
  private readonly classGroups: PhraseGroups;
  private readonly notCovered: { scope: string; set: PhraseSet; unless: PhraseSet }[];
  readonly unheldNames: PhraseSet;
  readonly drugSuffixes: readonly string[];
  private readonly patientStrong: PhraseSet;
  private readonly patientWeak: PhraseSet;
  private readonly patientPatterns: RegExp[];
  private readonly ambiguous: { rule: ConceptsData['ambiguous'][number]; alias: RegExp; onlyAs: PhraseSet }[];
  private readonly greetingSets: { kind: GreetingKind | 'filler'; set: PhraseSet }[];

  constructor(readonly data: ConceptsData) {
    const labelled = <T extends { id: string; label?: string | undefined; phrases: string[] }>(v: T) => ({
      id: v.id,
      label: v.label ?? v.id,
    });
    this.settings = data.settings.map((s) => ({
      ...labelled(s),
      kind: s.kind,
      agent: s.agent,
    }));
    this.endpoints = data.endpoints.map(labelled);
    this.comparators = data.comparators.map(labelled);
    this.designs = data.designs.map((d) => ({ ...labelled(d), kinds: d.kinds }));
    this.companions = data.companions.map(labelled);
    this.settingGroups = new PhraseGroups(data.settings);
    this.settingExclusions = new PhraseGroups(data.settings.map((x) => ({ id: x.id, phrases: x.notWith })));
    this.endpointGroups = new PhraseGroups(data.endpoints);
    this.resultGroups = new PhraseGroups(data.endpoints.map((e) => ({ id: e.id, phrases: e.results })));
    this.comparatorGroups = new PhraseGroups(data.comparators);
    this.companionGroups = new PhraseGroups(data.companions);
    this.designGroups = new PhraseGroups(data.designs);
    this.classGroups = new PhraseGroups(Object.entries(data.agents).map(([id, v]) => ({ id, phrases: v.classes })));
    this.notCovered = Object.entries(data.notCovered).map(([scope, v]) => ({
      scope,
      set: new PhraseSet(v.phrases),
      unless: new PhraseSet(v.unless),
    }));
    this.unheldNames = new PhraseSet([...data.unheld.trials, ...data.unheld.drugs]);
    this.drugSuffixes = data.unheld.drugSuffixes.map((s) => s.toLowerCase());
    this.patientStrong = new PhraseSet(data.patientRequests.strong);
    this.patientWeak = new PhraseSet(data.patientRequests.weak);
    this.patientPatterns = data.patientRequests.patterns.map((p) => new RegExp(p, 'iu'));
    this.ambiguous = data.ambiguous.map((rule) => ({
      rule,
      alias: new RegExp(`${BEFORE}(?:${phraseBody(rule.alias)})${AFTER}`, 'g'),
      onlyAs: new PhraseSet(rule.onlyAs),
    }));
    this.greetingSets = (['hello', 'thanks', 'filler'] as const).map((kind) => ({
      kind,
      set: new PhraseSet(data.greetings[kind]),
    }));
  }

  /** Phrases describing an entity without naming it (mechanisms, agents and trials alike). */
  describe(id: string): readonly string[] {
    return this.data.mechanisms[id]?.describe ?? this.data.agents[id]?.describe ?? this.data.trials[id]?.describe ?? [];
  }

  /** Settings a text names, by id. */
  settingsIn(text: string): Set<string> {
    return this.settingGroups.in(foldText(text));
  }

  /** The settings of a trial, read from its setting text: as settingsIn, minus those its text rules out. */
  trialSettingsIn(text: string): Set<string> {
    const folded = foldText(text);
    const excluded = this.settingExclusions.in(folded);
    return new Set([...this.settingGroups.in(folded)].filter((id) => !excluded.has(id)));
  }

  /** The disease stages ('early', 'metastatic') a set of settings implies. */
  stagesOf(settings: Iterable<string>): Set<string> {
    const out = new Set<string>();
    for (const id of settings) {
      const stage = this.data.settings.find((s) => s.id === id)?.stage;
      if (stage) out.add(stage);
    }
    return out;
  }

  /** The prior-therapy setting that names an agent ("after T-DM1" for agent-t-dm1). */
  priorSettingOf(agent: string): string | undefined {
    return this.settings.find((s) => s.kind === 'prior' && s.agent === agent)?.id;
  }

  endpointsIn(text: string): Set<string> {
    return this.endpointGroups.in(foldText(text));
  }

  /** Endpoints a result's endpoint name stands for ("3-year iDFS" → endpoint-idfs). */
  endpointsOfResult(endpointName: string): Set<string> {
    return this.resultGroups.in(foldText(endpointName));
  }

  comparatorsIn(text: string): Set<string> {
    return this.comparatorGroups.in(foldText(text));
  }

  /** Designs a text names ("phase 3", "xenograft"), by id. */
  designsIn(text: string): Set<string> {
    return this.designGroups.in(foldText(text));
  }

  /** The designs an evidence kind belongs to. */
  designsOfKind(kind: string): Set<string> {
    return new Set(this.designs.filter((d) => d.kinds.includes(kind)).map((d) => d.id));
  }

  companionsIn(text: string): Set<string> {
    return this.companionGroups.in(foldText(text));
  }

  /** Agents whose drug class a text names ("TKI" → lapatinib, neratinib, …). */
  classAgentsIn(text: string): Set<string> {
    return this.classGroups.in(foldText(text));
  }

  /** The scope topics a question touches that the knowledge base does not cover. */
  notCoveredIn(text: string): ScopeMatch[] {
    const folded = foldText(text);
    const out: ScopeMatch[] = [];
    for (const { scope, set, unless } of this.notCovered) {
      const phrase = set.find(folded);
      if (phrase !== undefined && unless.find(folded) === undefined) out.push({ scope, phrase });
    }
    return out;
  }

  /** Trials or drugs named in a text that the knowledge base is known not to hold. */
  unheldIn(text: string): string[] {
    return this.unheldNames.all(foldText(text)).map((m) => m.text);
  }

  /** True when the text is about an individual patient: one strong signal, or two different weak ones. */
  isPatientRequest(text: string): boolean {
    const folded = foldText(text);
    if (this.patientStrong.find(folded) !== undefined) return true;
    const weak = new Set(this.patientWeak.all(folded).map((m) => m.text.replace(/[\s\-/]+/g, ' ')));
    const patterned = this.patientPatterns.some((p) => p.test(text)) ? 1 : 0;
    return weak.size + patterned >= 2;
  }

  /** Situations of kb.scope.patientQuestions that a text describes, by the settings it names. */
  situationsIn(text: string): string[] {
    const settings = this.settingsIn(text);
    return Object.entries(this.data.patientRequests.situations)
      .filter(([, wanted]) => wanted.some((s) => settings.has(s)))
      .map(([id]) => id);
  }

  /**
   * The text with each ambiguous short alias removed where its context says it is an ordinary word
   * ("met its primary endpoint", "HR 0.65", "src homology 2"). In `text` mode (abstracts) an alias whose
   * rule is case-sensitive counts only in upper case; questions are read case-insensitively.
   */
  withoutFalseAliases(text: string, mode: 'question' | 'text' = 'question'): string {
    let out = foldText(text);
    for (const { rule, alias, onlyAs } of this.ambiguous) {
      const written = rule.alias.toLowerCase();
      const onlyAsAt = new Set(onlyAs.all(out).map((m) => m.index));
      const cancelled: number[] = [];
      for (const m of out.matchAll(alias)) {
        const at = m.index;
        const original = text.slice(at, at + m[0].length);
        const before = /([\p{L}\p{N}]+)[^\p{L}\p{N}]*$/u.exec(out.slice(0, at))?.[1];
        const after = /^[^\p{L}\p{N}]*([\p{L}\p{N}]+)/u.exec(out.slice(at + m[0].length))?.[1];
        // In running text the all-lower-case form is the ordinary word ("met"); "MET" and "Met" (older
        // papers' gene spelling, "Met receptor") are the gene.
        const wrongCase =
          mode === 'text' && rule.caseSensitiveInText && original !== rule.alias && original === original.toLowerCase();
        const notAsWritten = rule.onlyAs.length > 0 && !onlyAsAt.has(at);
        const byContext =
          (after !== undefined && rule.notFollowedBy.some((w) => w.toLowerCase() === after)) ||
          (before !== undefined &&
            rule.notPrecededBy.some((w) => w.toLowerCase() === before) &&
            // "HER2 and Met": in text, a capitalised gene name stays one whatever word precedes it.
            !(mode === 'text' && rule.caseSensitiveInText && original !== original.toLowerCase()));
        if (wrongCase || notAsWritten || byContext) cancelled.push(at);
      }
      for (const at of cancelled.reverse())
        out = `${out.slice(0, at)}${' '.repeat(written.length)}${out.slice(at + written.length)}`;
    }
    return out;
  }

  /** "hello" or "thanks" when the whole message is a greeting or thanks and nothing else. */
  greeting(text: string): GreetingKind | undefined {
    let rest = foldText(text);
    const found = new Set<string>();
    for (const { kind, set } of this.greetingSets) {
      if (kind !== 'filler' && set.find(rest) !== undefined) found.add(kind);
      rest = set.strip(rest);
    }
    if (/[\p{L}\p{N}]/u.test(rest) || found.size === 0) return undefined;
    return found.has('thanks') ? 'thanks' : 'hello';
  }
}
