/**
 * From a question to its answer: a greeting gets one friendly line, a request about an individual patient
 * the fixed careful card, a question outside the knowledge base an honest "not covered" card, and anything
 * else the best card, with a note for any part of it that is not covered. Coverage is decided before the
 * search's best hit is taken as the answer: a near miss is offered as a related link, never as the answer.
 */
import { foldText, PhraseSet } from '../knowledge/concepts.ts';
import type { KnowledgeBase } from '../knowledge/knowledge-base.ts';
import type { Evidence, NotCovered } from '../knowledge/schema.ts';
import type { Hit, SearchResult } from '../search/search.ts';
import { type Answer, answerFromSearch, kbStamp } from './answer.ts';

/** Topics a question may touch while its main subject is still answered (a trial named outright). */
const PARTIAL_SCOPES = new Set([
  'scope-dosing',
  'scope-supportive-care',
  'scope-drug-access',
  'scope-radiotherapy-surgery',
  'scope-early-stage-de-escalation',
]);
const MAX_RELATED = 4;
/** Named things a not-covered card says it does hold. */
const MAX_HELD = 2;
const ENTITY_TYPES = new Set(['mechanism', 'agent', 'evidence', 'review']);
const MAX_SITUATION_EVIDENCE = 4;
const MAX_SITUATIONS = 2;
/** Trials matching the drugs and setting a request describes, besides its situations'. */
const MAX_DESCRIBED = 2;
/** Trials on the careful card in all: one line each, so the card stays a short first message. */
const MAX_TRIALS_SHOWN = 6;

export const GREETING_TEXT = {
  hello:
    'Hello! Ask me about trastuzumab resistance in HER2-positive breast cancer: a mechanism, a drug or a trial (for example “cleopatra os” or “T-DXd after T-DM1”).',
  thanks: 'You’re welcome. Ask again any time.',
} as const;

export function answerQuestion(kb: KnowledgeBase, result: SearchResult): Answer {
  const { query } = result;
  const concepts = kb.concepts;
  const greeting = concepts.greeting(query);
  if (greeting) return { type: 'greeting', kind: greeting, text: GREETING_TEXT[greeting], kb: kbStamp(kb) };
  if (concepts.isPatientRequest(query)) return patientAnswer(kb, result);

  const topics = notCoveredTopics(kb, result);
  const namedTrial = result.named.some((id) => namesTrial(kb, id, query));
  const partial = namedTrial && result.unheld.length === 0 && topics.every((t) => PARTIAL_SCOPES.has(t.id));
  if ((topics.length > 0 || result.unheld.length > 0) && !partial) return notCoveredAnswer(kb, result, topics);
  const answer = answerFromSearch(kb, result);
  if (topics.length > 0 && ENTITY_TYPES.has(answer.type)) return { ...answer, notCovered: topics } as Answer;
  return answer;
}

/** True when the question names this trial by its name or an alias (not just a drug of one of its arms). */
function namesTrial(kb: KnowledgeBase, id: string, query: string): boolean {
  const e = kb.evidenceById.get(id);
  if (!e || isOutOfScope(kb, id)) return false;
  return new PhraseSet([e.name, ...e.aliases]).find(foldText(query)) !== undefined;
}

/** Scope topics the question touches: by its words, or by the out-of-scope trial it names (DB04, DB06). */
function notCoveredTopics(kb: KnowledgeBase, result: SearchResult): NotCovered[] {
  const ids = new Set(kb.concepts.notCoveredIn(result.query).map((m) => m.scope));
  const best = result.hits[0];
  if (best && result.named.includes(best.id) && isOutOfScope(kb, best.id)) ids.add(outOfScopeTopic(kb, best.id));
  return kb.scope.notCovered.filter((n) => ids.has(n.id));
}

/** Evidence the knowledge base records only to say it is outside its scope (HER2-low trials). */
function isOutOfScope(kb: KnowledgeBase, id: string): boolean {
  const e = kb.evidenceById.get(id) as (Evidence & { outOfScope?: unknown }) | undefined;
  return Boolean(e?.outOfScope);
}

function outOfScopeTopic(kb: KnowledgeBase, id: string): string {
  const e = kb.evidenceById.get(id) as (Evidence & { outOfScope?: unknown }) | undefined;
  const flag = e?.outOfScope;
  if (typeof flag === 'string' && flag.startsWith('scope-')) return flag;
  if (flag && typeof flag === 'object' && 'scope' in flag && typeof flag.scope === 'string') return flag.scope;
  return 'scope-her2-low';
}

function notCoveredAnswer(kb: KnowledgeBase, result: SearchResult, topics: NotCovered[]): Answer {
  const fromScope = topics.flatMap((t) => t.related);
  const seen = new Set<string>();
  const related: Hit[] = [];
  const hit = (id: string) => result.hits.find((h) => h.id === id) ?? hitFor(kb, id);
  const add = (id: string) => {
    const h = hit(id);
    if (h && !seen.has(id)) {
      seen.add(id);
      related.push(h);
    }
  };
  // The part of the question that is covered: the drugs, trials and mechanisms it names by name that the
  // knowledge base holds ("trastuzumab" in "trastuzumab loading dose"), listed first among the related.
  const held = result.named
    .filter((id) => !isOutOfScope(kb, id))
    .flatMap((id) => hit(id) ?? [])
    .slice(0, MAX_HELD);
  for (const h of held) add(h.id);
  for (const id of fromScope) add(id);
  for (const h of result.hits) if (related.length < MAX_RELATED) add(h.id);
  return {
    type: 'not-covered',
    query: result.query,
    topics,
    // A name the scope topic already explains (DESTINY-Breast04 under HER2-low) needs no second sentence.
    unheld: result.unheld.filter((name) => kb.concepts.notCoveredIn(name).length === 0),
    held,
    covers: [...kb.scope.covers],
    related: related.slice(0, MAX_RELATED),
    kb: kbStamp(kb),
  };
}

function hitFor(kb: KnowledgeBase, id: string): Hit | undefined {
  const entity = kb.entity(id);
  if (!entity) return undefined;
  const title =
    entity.kind === 'mechanism'
      ? entity.item.shortName
      : entity.kind === 'agent'
        ? entity.item.name
        : entity.kind === 'evidence'
          ? entity.item.name
          : 'the 2011 review';
  return { id, kind: entity.kind, title, score: 0 };
}

/**
 * The careful card: the bot does not advise on an individual patient; it names the guidelines and shows
 * the evidence the knowledge base holds for the situation described (by the scope's situations, and the
 * trials matching what the question names).
 */
function patientAnswer(kb: KnowledgeBase, result: SearchResult): Answer {
  const rule = kb.scope.patientQuestions;
  // At most two situations, most specific first (the concept layer lists them in that order).
  const wanted = kb.concepts.situationsIn(result.query).slice(0, MAX_SITUATIONS);
  // A trial that bears on both situations (HER2CLIMB: brain metastases, after T-DM1) is listed once.
  const shown = new Set<string>();
  const situations: { id: string; label: string; evidence: Evidence[] }[] = [];
  for (const s of wanted.flatMap((id) => rule.situations.filter((x) => x.id === id))) {
    const evidence = kb
      .rank(s.evidence)
      .filter((e) => !shown.has(e.id))
      .slice(0, MAX_SITUATION_EVIDENCE);
    for (const e of evidence) shown.add(e.id);
    if (evidence.length > 0) situations.push({ id: s.id, label: s.label, evidence });
  }
  // The strongest evidence for each drug the question names as a treatment (not as prior therapy).
  // Of each drug's evidence, the trials in the same disease stage as the question come first.
  const concepts = kb.concepts;
  const stages = concepts.stagesOf(concepts.settingsIn(result.query));
  const sameStage = (e: Evidence) =>
    [...concepts.stagesOf(concepts.trialSettingsIn(e.setting))].some((s) => stages.has(s)) ? 0 : 1;
  // Then the trials the search ranks first that share a setting with the question (brain metastases).
  const asked = new Set([...concepts.settingsIn(result.query)].filter((id) => concepts.stagesOf([id]).size > 0));
  const inSetting = result.hits
    .flatMap((h) => kb.evidenceById.get(h.id) ?? [])
    .filter((e) => [...concepts.trialSettingsIn(e.setting)].some((id) => asked.has(id)))
    .slice(0, 2);
  const byDrug = [...(result.facets?.agents ?? [])].flatMap((a) =>
    kb
      .evidenceForAgent(a)
      .map((e, rank) => ({ e, rank }))
      .sort((x, y) => sameStage(x.e) - sameStage(y.e) || x.rank - y.rank)
      .slice(0, 2)
      .map((x) => x.e),
  );
  const candidates = [...byDrug, ...inSetting];
  const matching: Evidence[] = [];
  for (const e of candidates) {
    if (matching.length >= MAX_DESCRIBED || shown.size >= MAX_TRIALS_SHOWN) break;
    if (shown.has(e.id) || isOutOfScope(kb, e.id)) continue;
    shown.add(e.id);
    matching.push(e);
  }
  if (matching.length > 0) {
    situations.push({
      id: 'situation-as-described',
      label: 'The drugs and the setting you describe',
      evidence: matching,
    });
  }
  return {
    type: 'patient-question',
    query: result.query,
    statement: rule.statement,
    guidelines: [...rule.guidelines],
    guidelinesNote: rule.guidelinesNote,
    situations,
    kb: kbStamp(kb),
  };
}
