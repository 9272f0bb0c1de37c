/**
 * The short first message. A card that answers a question leads with what was asked (the trial's
 * result for the endpoint named, an agent's safety lines when asked about toxicity) and keeps what a
 * clinician needs to judge it: the level, the source links, the later-than-2011 marking. Everything else
 * is one click away: "More details" opens the whole card; Agents, Evidence and Mechanisms open the lists.
 */
import type { Answer } from '../../answer/answer.ts';
import type { Focus } from '../../answer/focus.ts';
import type { CardAction, CardSection } from '../card-view.ts';
import { evidenceLine, resultStatement, statementText } from '../format.ts';
import { mechanismLinkSections } from '../link-sections.ts';
import { agentBody, nameFacts } from './agent.ts';
import type { Body } from './common.ts';
import { armsFact, evidenceHead, levelFact } from './evidence.ts';
import { mechanismBody } from './mechanism.ts';
import { reviewBody } from './review.ts';

/**
 * How much of a trial's results and findings a short card quotes, in characters: enough for the endpoint
 * asked (two or three result lines), little enough to read at a glance. The first line is always quoted.
 */
const QUOTE_BUDGET = 550;
const LEADING_RESULTS = 1;
/** A finding sharing two of the question's words answers it as directly as a result. */
const STRONG_MATCH = 2;
/** Arms longer than this (six cohorts) are left to the whole card; the title already names the comparison. */
const MAX_ARMS_TEXT = 120;
const MAX_EVIDENCE = 2;
/** Approvals a short agent card lists when asked about them, newest first as curated. */
const MAX_APPROVALS = 2;
const MAX_SAFETY = 3;
const MAX_AGENTS = 3;

type EntityAnswer = Extract<Answer, { type: 'evidence' | 'agent' | 'mechanism' | 'review' }>;

export function briefBody(answer: EntityAnswer, focus: Focus): Body {
  switch (answer.type) {
    case 'evidence':
      return briefEvidence(answer, focus);
    case 'agent':
      return briefAgent(answer, focus);
    case 'mechanism':
      return briefMechanism(answer);
    case 'review':
      return briefReview(answer);
  }
}

/** "More details" first: the whole card of what this one shortens. */
function withDetails(id: string, actions: readonly CardAction[]): CardAction[] {
  return [
    { label: 'More details', payload: { a: 'open', id }, style: 'primary' },
    ...actions.map(({ style: _, ...a }) => a),
  ];
}

function briefEvidence(answer: Extract<Answer, { type: 'evidence' }>, focus: Focus): Body {
  const e = answer.evidence;
  const head = evidenceHead(answer);
  // In order of how well they answer: the first result for the endpoint asked (without one, or when
  // none reports it, the trial's results in order), the findings sharing two of the question's words (the
  // label's prophylaxis text for "neratinib diarrhoea"), the other results asked for, then the findings
  // sharing less. A trial with no result quotes its findings.
  const asked = focus.results.length > 0 ? focus.results : e.results.map((_, i) => i);
  const findings =
    focus.findings.length > 0 || asked.length > 0
      ? focus.findings
      : e.findings.map((_, index) => ({ index, score: 1 }));
  const finding = (f: { index: number }) => ({ kind: 'finding' as const, i: f.index });
  const result = (i: number) => ({ kind: 'result' as const, i });
  const candidates = [
    ...asked.slice(0, LEADING_RESULTS).map(result),
    ...findings.filter((f) => f.score >= STRONG_MATCH).map(finding),
    ...asked.slice(LEADING_RESULTS).map(result),
    ...findings.filter((f) => f.score < STRONG_MATCH).map(finding),
  ].map((c) => ({
    ...c,
    text: c.kind === 'result' ? resultStatement(e.results[c.i]!, { arms: true }) : statementText(e.findings[c.i]!),
  }));
  let room = QUOTE_BUDGET;
  const quoted = candidates.filter((c, n) => {
    if (n > 0 && c.text.length > room) return false;
    room -= c.text.length;
    return true;
  });
  // Results in the trial's order, findings best match first.
  const items = (kind: 'result' | 'finding') =>
    quoted
      .filter((c) => c.kind === kind)
      .sort((a, b) => (kind === 'result' ? a.i - b.i : 0))
      .map((c) => ({ text: c.text, evidence: [] }));
  const sections: CardSection[] = [];
  if (items('result').length > 0) sections.push({ heading: 'Results', role: 'results', items: items('result') });
  if (items('finding').length > 0) sections.push({ heading: 'Findings', items: items('finding') });
  const arms = armsFact(e).filter((f) => f.value.length <= MAX_ARMS_TEXT);
  return {
    ...head,
    facts: [...arms, levelFact(e)],
    sections,
    actions: withDetails(e.id, head.actions),
  };
}

function briefAgent(answer: Extract<Answer, { type: 'agent' }>, focus: Focus): Body {
  const a = answer.agent;
  const full = agentBody(answer);
  const sections: CardSection[] = [];
  const safety = focus.safety.flatMap((i) => a.safety[i] ?? []).filter((s) => s.verified);
  if (safety.length > 0)
    sections.push({
      heading: 'Safety',
      items: safety.slice(0, MAX_SAFETY).map((s) => ({ text: s.text, evidence: [] })),
    });
  const approvals = focus.approvals ? a.approvals.filter((x) => x.verified).slice(0, MAX_APPROVALS) : [];
  if (approvals.length > 0)
    sections.push({
      heading: 'Approvals',
      items: approvals.map((x) => ({ title: `${x.region}${x.date ? ` ${x.date}` : ''}`, text: x.text, evidence: [] })),
    });
  // Asked about safety or approvals, those lines are the answer and the trials are behind Evidence.
  const evidence = sections.length > 0 ? [] : answer.evidence.slice(0, MAX_EVIDENCE);
  if (evidence.length > 0)
    sections.push({ heading: 'Key evidence', items: [{ evidence: evidence.map(evidenceLine) }] });
  else if (sections.length === 0 && a.evidenceGap)
    sections.push({ heading: 'Evidence', items: [{ text: a.evidenceGap, evidence: [] }] });
  return {
    ...full,
    facts: [...nameFacts(a), { label: 'Status', value: a.status }],
    sections,
    notes: [],
    actions: withDetails(a.id, full.actions),
  };
}

function briefMechanism(answer: Extract<Answer, { type: 'mechanism' }>): Body {
  const full = mechanismBody(answer);
  // The first kind of link (what may overcome it, when anything does) and its first agents.
  const [first] = mechanismLinkSections(answer.agents);
  // Each agent by name and its best evidence line; what it does to the mechanism is on the whole card.
  const items = (first?.items ?? []).slice(0, MAX_AGENTS).map((i) => ({ ...i, text: '' }));
  const sections = first ? [{ ...first, items }] : [];
  return {
    ...full,
    facts: full.facts.slice(0, 1),
    sections,
    notes: [],
    actions: withDetails(answer.mechanism.id, full.actions),
  };
}

function briefReview(answer: Extract<Answer, { type: 'review' }>): Body {
  const full = reviewBody(answer);
  return {
    ...full,
    sections: [
      {
        heading: 'Resistance models it names',
        items: answer.mechanisms.map((m) => ({ id: m.id, title: m.shortName, evidence: [] })),
      },
    ],
    notes: [],
    actions: withDetails('review', full.actions),
  };
}
