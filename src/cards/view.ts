/**
 * From an Answer to a CardView: the card's content in plain text, the same for every surface. Each
 * kind of card is written in `bodies/`; this adds what every card has (the footer, how to render it
 * again, the user's words) and turns ids in knowledge-base prose into names. The surface renderers
 * (Slack, Teams, text) escape the view for their markup and lay it out; none of them decides what is said.
 */
import { type ActionPayload, clipQuery } from '../answer/actions.ts';
import type { Answer } from '../answer/answer.ts';
import { PROSE_REFERENCE } from '../knowledge/knowledge-base.ts';
import { agentBody } from './bodies/agent.ts';
import { briefBody } from './bodies/brief.ts';
import { changesBody } from './bodies/changes.ts';
import type { Body } from './bodies/common.ts';
import { evidenceBody } from './bodies/evidence.ts';
import { errorBody, helpBody, noneBody, noticeBody } from './bodies/guidance.ts';
import { mechanismBody } from './bodies/mechanism.ts';
import { resultsBody } from './bodies/results.ts';
import { reviewBody } from './bodies/review.ts';
import { greetingBody, notCoveredBody, patientBody } from './bodies/scope.ts';
import { type CardView, MACHINE_KEYS, PLAIN_SYNTAX, type Syntax } from './card-view.ts';
import { digestView } from './digest.ts';
import { DISCLAIMER } from './disclaimer.ts';

/**
 * The card for an answer. `nameOf` turns ids written inside knowledge-base prose ("… (ev-finher-p95)")
 * into the entity's name; without it they are left as written. `syntax` is how commands are written
 * where the card is shown (help and "no match" teach them); by default, plain words.
 */
export function cardView(
  answer: Answer,
  nameOf?: (id: string) => string | undefined,
  syntax: Syntax = PLAIN_SYNTAX,
): CardView {
  const view = buildView(answer, nameOf ?? (() => undefined), syntax);
  return nameOf ? withNames(view, nameOf) : view;
}

function withNames<T>(value: T, nameOf: (id: string) => string | undefined): T {
  if (typeof value === 'string') return value.replace(PROSE_REFERENCE, (ref) => nameOf(ref) ?? ref) as T;
  if (Array.isArray(value)) return value.map((v) => withNames(v, nameOf)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, MACHINE_KEYS.has(k) ? v : withNames(v, nameOf)]),
    ) as T;
  }
  return value;
}

function bodyOf(answer: Answer, syntax: Syntax): Body {
  // A card that answers a question is the short first message; the whole card is one click away.
  if ('focus' in answer && answer.focus) return briefBody(answer, answer.focus);
  switch (answer.type) {
    case 'mechanism':
      return mechanismBody(answer);
    case 'agent':
      return agentBody(answer);
    case 'evidence':
      return evidenceBody(answer);
    case 'review':
      return reviewBody(answer);
    case 'results':
      return resultsBody(answer);
    case 'none':
      return noneBody(answer, syntax);
    case 'help':
      return helpBody(answer, syntax);
    case 'error':
      return errorBody(answer);
    case 'notice':
      return noticeBody(answer);
    case 'not-covered':
      return notCoveredBody(answer);
    case 'patient-question':
      return patientBody(answer);
    case 'greeting':
      return greetingBody(answer);
    case 'changes':
      return changesBody(answer);
    case 'digest':
      throw new Error('digest answers are rendered by digestView');
  }
}

function buildView(answer: Answer, nameOf: (id: string) => string | undefined, syntax: Syntax): CardView {
  const body =
    answer.type === 'digest'
      ? digestView(answer.digest, nameOf, {
          all: answer.all,
          syntax,
          ...(answer.title ? { title: answer.title } : {}),
        })
      : {
          ...withScopeNotes(answer, bodyOf(answer, syntax)),
          footer: { kbVersion: answer.kb.version, kbDate: answer.kb.date, disclaimer: DISCLAIMER },
        };
  // Every item has every field, so the templates (compiled strict) can tell absent from misspelt.
  const view = {
    ...body,
    sections: body.sections.map((s) => ({
      ...s,
      items: s.items.map((i) => ({ ...i, title: i.title ?? '', text: i.text ?? '' })),
    })),
  };
  const ref = refOf(answer);
  const reportKey = reportKeyOf(answer, ref);
  const query = 'query' in answer && answer.query && answer.type !== 'results' ? answer.query : undefined;
  return {
    ...view,
    ...(ref ? { ref } : {}),
    ...(reportKey ? { reportKey } : {}),
    ...(query ? { query: clipQuery(query) } : {}),
  };
}

/**
 * Cards that state knowledge-base content can be reported ("Report a problem"); notices and help cannot,
 * nor the fixed careful card for a patient request, which states the rule and points to the trials' cards.
 */
function reportKeyOf(answer: Answer, ref: ActionPayload | undefined): string | undefined {
  if (ref?.id) return ref.id;
  const quiet: ReadonlySet<Answer['type']> = new Set([
    'help',
    'error',
    'notice',
    'greeting',
    'digest',
    'patient-question',
  ]);
  return quiet.has(answer.type) ? undefined : answer.type;
}

/** A card that answers only part of the question says which part is not covered, first among its notes. */
function withScopeNotes(answer: Answer, body: Body): Body {
  const topics = 'notCovered' in answer ? (answer.notCovered ?? []) : [];
  if (topics.length === 0) return body;
  return { ...body, notes: [...topics.map((t) => `Not covered here: ${t.topic}. ${t.answer}`), ...body.notes] };
}

/**
 * The payload that re-creates an answer's card: a short card with the question it answers (shared to a
 * channel, or returned to with Back, it is the same short card), a whole card by its id alone.
 */
function refOf(answer: Answer): ActionPayload | undefined {
  const ref = entityRef(answer);
  return ref && 'focus' in answer && answer.focus && answer.query ? { ...ref, q: clipQuery(answer.query) } : ref;
}

function entityRef(answer: Answer): ActionPayload | undefined {
  switch (answer.type) {
    case 'mechanism':
      return { a: 'open', id: answer.mechanism.id };
    case 'agent':
      return { a: 'open', id: answer.agent.id };
    case 'evidence':
      return { a: 'open', id: answer.evidence.id };
    case 'review':
      return { a: 'open', id: 'review' };
    case 'results':
      return { a: 'page', q: clipQuery(answer.query), p: answer.page };
    case 'help':
      return { a: 'help' };
    default:
      return undefined;
  }
}
