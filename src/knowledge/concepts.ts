/**
 * The concept layer compiled for matching: every phrase list of `knowledge/concepts.yaml` becomes one
 * regular expression that finds its phrases as whole words, case-insensitive, with spaces, hyphens and
 * slashes interchangeable and en dashes or minus signs read as hyphens. Used by the search to understand a
 * question and by the digest classifier to read an abstract.
 */
import type { ConceptsData, Endpoint, Setting } from './concepts-schema.ts';

/** Lower case, with every dash and minus sign as "-" and curly apostrophes straight. */
export function foldText(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2010-\u2015\u2212\uFE63\uFF0D]/g, '-')
    .replace(/[\u2018\u2019\u02BC]/g, "'");
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

const NOT_AFTER_WORD = '(?<![\\p{L}\\p{N}])';
const NOT_BEFORE_WORD = '(?![\\p{L}\\p{N}])';

interface PhrasePattern {
  body: string;
  /** Whether the phrase must not touch a letter or digit before it, and after it. */
  start: boolean;
  end: boolean;
}

function phrasePattern(phrase: string): string {
  const { body, start, end } = phraseParts(phrase);
  return `${start ? NOT_AFTER_WORD : ''}${body}${end ? NOT_BEFORE_WORD : ''}`;
}

/**
 * The alternation of many phrases, in their order. Neighbours with the same boundaries share one
 * lookbehind and one lookahead (the same match, alternative by alternative): each [\p{L}\p{N}] takes a
 * fraction of a millisecond to compile, and with a pair per phrase (2,700 of them) the concept layer took
 * most of a second to build, longer than the rest of answering a question from the command line.
 */
function alternation(phrases: readonly string[]): string {
  const parts = phrases.map(phraseParts);
  const runs: string[] = [];
  for (let i = 0; i < parts.length; ) {
    const { start, end } = parts[i]!;
    let j = i;
    while (j < parts.length && parts[j]!.start === start && parts[j]!.end === end) j++;
    const bodies = parts.slice(i, j).map((p) => p.body);
    runs.push(`${start ? NOT_AFTER_WORD : ''}(?:${bodies.join('|')})${end ? NOT_BEFORE_WORD : ''}`);
    i = j;
  }
  return runs.join('|');
}

function phraseParts(phrase: string): PhrasePattern {
  const folded = foldText(phrase).trim();
  // Separators between word characters are interchangeable; a trailing "-" or "+" ("HR-", "ER+") is part
  // of the phrase and must be written.
  const parts = folded.split(/(?<=[\p{L}\p{N}'])[\s\-/]+(?=[\p{L}\p{N}])|\s+/u).filter(Boolean);
  const body = parts.map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/'/g, "'?")).join('[\\s\\-/]*');
  const start = WORD_CHAR.test(folded[0] ?? '');
  const end = WORD_CHAR.test(folded.at(-1) ?? '') || /[-+]$/.test(folded);
  return { body, start, end };
}

/** A list of phrases that can be looked for in a text, as one compiled expression. */
export class PhraseSet {
  private readonly pattern: RegExp | undefined;
  private readonly global: RegExp | undefined;

  constructor(readonly phrases: readonly string[]) {
    // Longest first, so "HER2-ultralow" wins over "ultralow" as the reported phrase.
    const sorted = [...new Set(phrases)].sort((a, b) => b.length - a.length);
    const source = alternation(sorted);
    this.pattern = source ? new RegExp(source, 'u') : undefined;
    this.global = source ? new RegExp(source, 'gu') : undefined;
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

interface Labelled<I extends string> {
  id: I;
  label: string;
  set: PhraseSet;
}

export interface ScopeMatch {
  scope: string;
  /** The words of the question that put it outside the knowledge base. */
  phrase: string;
}

export type GreetingKind = 'hello' | 'thanks';

export class ConceptLayer {
  readonly settings: readonly (Labelled<string> & {
    kind: Setting['kind'];
    agent?: string | undefined;
    notWith: PhraseSet;
  })[];
  readonly endpoints: readonly (Labelled<string> & { results: PhraseSet })[];
  readonly comparators: readonly Labelled<string>[];
  readonly designs: readonly (Labelled<string> & { kinds: readonly string[] })[];
  readonly companions: readonly Labelled<string>[];
  private readonly classes = new Map<string, PhraseSet>();
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
      set: new PhraseSet(v.phrases),
    });
    this.settings = data.settings.map((s) => ({
      ...labelled(s),
      kind: s.kind,
      agent: s.agent,
      notWith: new PhraseSet(s.notWith),
    }));
    this.endpoints = data.endpoints.map((e: Endpoint) => ({ ...labelled(e), results: new PhraseSet(e.results) }));
    this.comparators = data.comparators.map(labelled);
    this.designs = data.designs.map((d) => ({ ...labelled(d), kinds: d.kinds }));
    this.companions = data.companions.map(labelled);
    for (const [agent, v] of Object.entries(data.agents)) this.classes.set(agent, new PhraseSet(v.classes));
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
      alias: new RegExp(phrasePattern(rule.alias), 'gu'),
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
    return idsIn(this.settings, foldText(text));
  }

  /** The settings of a trial, read from its setting text: as settingsIn, minus those its text rules out. */
  trialSettingsIn(text: string): Set<string> {
    const folded = foldText(text);
    return new Set(
      this.settings
        .filter((s) => s.set.find(folded) !== undefined && s.notWith.find(folded) === undefined)
        .map((s) => s.id),
    );
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
    return idsIn(this.endpoints, foldText(text));
  }

  /** Endpoints a result's endpoint name stands for ("3-year iDFS" → endpoint-idfs). */
  endpointsOfResult(endpointName: string): Set<string> {
    const folded = foldText(endpointName);
    return new Set(this.endpoints.filter((e) => e.results.find(folded) !== undefined).map((e) => e.id));
  }

  comparatorsIn(text: string): Set<string> {
    return idsIn(this.comparators, foldText(text));
  }

  /** Designs a text names ("phase 3", "xenograft"), by id. */
  designsIn(text: string): Set<string> {
    return idsIn(this.designs, foldText(text));
  }

  /** The designs an evidence kind belongs to. */
  designsOfKind(kind: string): Set<string> {
    return new Set(this.designs.filter((d) => d.kinds.includes(kind)).map((d) => d.id));
  }

  companionsIn(text: string): Set<string> {
    return idsIn(this.companions, foldText(text));
  }

  /** Agents whose drug class a text names ("TKI" → lapatinib, neratinib, …). */
  classAgentsIn(text: string): Set<string> {
    const folded = foldText(text);
    const out = new Set<string>();
    for (const [agent, set] of this.classes) if (set.find(folded) !== undefined) out.add(agent);
    return out;
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
        const wrongCase = mode === 'text' && rule.caseSensitiveInText && original !== rule.alias;
        const notAsWritten = rule.onlyAs.length > 0 && !onlyAsAt.has(at);
        const byContext =
          (after !== undefined && rule.notFollowedBy.some((w) => w.toLowerCase() === after)) ||
          (before !== undefined && rule.notPrecededBy.some((w) => w.toLowerCase() === before));
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

function idsIn(list: readonly { id: string; set: PhraseSet }[], folded: string): Set<string> {
  const out = new Set<string>();
  for (const { id, set } of list) if (set.find(folded) !== undefined) out.add(id);
  return out;
}
