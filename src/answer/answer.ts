/**
 * The Answer: what the bot says, as data, before any surface renders it. Every surface (Slack, Teams,
 * text, JSON) renders the same Answer, so they cannot disagree about the facts.
 */

import type { Digest } from '../digest/compose.ts';
import type { KnowledgeBase, MechanismLink, ResolvedAgentLink } from '../knowledge/knowledge-base.ts';
import type { Agent, Evidence, Guideline, Mechanism, NotCovered, Release, Review } from '../knowledge/schema.ts';
import type { Hit, SearchResult, Suggestion } from '../search/search.ts';
import type { FeedbackPayload } from './feedback-payload.ts';
import { type Focus, focusOf } from './focus.ts';

export interface KbStamp {
  version: string;
  date: string;
}

export interface AgentLinkView {
  link: ResolvedAgentLink;
  /** Best evidence for this agent against this mechanism, strongest first. */
  evidence: Evidence[];
}

export type Answer =
  | {
      type: 'mechanism';
      query: string;
      /** Parts of the question the knowledge base does not cover (the rest is answered). */
      notCovered?: NotCovered[] | undefined;
      /** What the question asked of this card; a card that answers a question is brief (see focus.ts). */
      focus?: Focus | undefined;
      mechanism: Mechanism;
      agents: AgentLinkView[];
      evidence: Evidence[];
      alternatives: Hit[];
      kb: KbStamp;
    }
  | {
      type: 'agent';
      query: string;
      /** Parts of the question the knowledge base does not cover (the rest is answered). */
      notCovered?: NotCovered[] | undefined;
      /** What the question asked of this card; a card that answers a question is brief (see focus.ts). */
      focus?: Focus | undefined;
      agent: Agent;
      /** Every mechanism linked to the agent, with what the agent does to it. */
      links: MechanismLink[];
      evidence: Evidence[];
      alternatives: Hit[];
      kb: KbStamp;
    }
  | {
      type: 'evidence';
      query: string;
      /** Parts of the question the knowledge base does not cover (the rest is answered). */
      notCovered?: NotCovered[] | undefined;
      /** What the question asked of this card; a card that answers a question is brief (see focus.ts). */
      focus?: Focus | undefined;
      evidence: Evidence;
      agents: Agent[];
      mechanisms: Mechanism[];
      /** Other analyses of the same trial (shared registry id), newest first. */
      related: Evidence[];
      alternatives: Hit[];
      kb: KbStamp;
    }
  | {
      type: 'review';
      query: string;
      /** Parts of the question the knowledge base does not cover (the rest is answered). */
      notCovered?: NotCovered[] | undefined;
      /** What the question asked of this card; a card that answers a question is brief (see focus.ts). */
      focus?: Focus | undefined;
      review: Review;
      mechanisms: Mechanism[];
      agents: Agent[];
      alternatives: Hit[];
      kb: KbStamp;
    }
  | {
      type: 'results';
      query: string;
      title: string;
      hits: Hit[];
      page: number;
      pageSize: number;
      total: number;
      kb: KbStamp;
    }
  | {
      /** The question is about something the knowledge base does not hold (kb.scope, or an unknown name). */
      type: 'not-covered';
      query: string;
      /** The scope topics the question touches (from kb.scope.notCovered). */
      topics: NotCovered[];
      /** Trials or drugs the question names that the knowledge base does not hold. */
      unheld: string[];
      /** What the question names that the knowledge base does hold (the part of it that is covered). */
      held: Hit[];
      /** What the knowledge base does cover (kb.scope.covers). */
      covers: string[];
      /** The closest items, offered as links, never as the answer. */
      related: Hit[];
      kb: KbStamp;
    }
  | {
      /** A request about an individual patient: no advice, the guidelines, and the matching evidence. */
      type: 'patient-question';
      query: string;
      statement: string;
      guidelines: Guideline[];
      guidelinesNote?: string | undefined;
      situations: { id: string; label: string; evidence: Evidence[] }[];
      kb: KbStamp;
    }
  | { type: 'greeting'; kind: 'hello' | 'thanks'; text: string; kb: KbStamp }
  | { type: 'none'; query: string; suggestions: Suggestion[]; examples: string[]; kb: KbStamp }
  | { type: 'help'; examples: string[]; kb: KbStamp }
  /** What's new: the releases after `since` (the newest one without it), newest first. */
  | { type: 'changes'; releases: Release[]; since?: string; kb: KbStamp }
  | {
      type: 'notice';
      title: string;
      message: string;
      details: string[];
      /** Buttons that follow up on it ("Fewer like this: T-DM1"). */
      offers?: { label: string; feedback: FeedbackPayload }[];
      /** A link button to what the notice is about (an export's download link, meant for this reader only). */
      download?: { label: string; url: string };
      kb: KbStamp;
    }
  | { type: 'digest'; digest: Digest; all: boolean; title?: string; kb: KbStamp }
  | { type: 'error'; message: string; kb: KbStamp };

export type AnswerType = Answer['type'];

export const EXAMPLE_QUERIES = [
  'resistance pi3k',
  'p95',
  'T-DM1 vs lapatinib',
  'neratinib evidence',
  'what overcomes PTEN loss?',
  'cleopatra os',
];

const MAX_ALTERNATIVES = 5;
const MAX_EVIDENCE = 6;
const EVIDENCE_PER_AGENT = 2;

export function kbStamp(kb: KnowledgeBase): KbStamp {
  return { version: kb.version, date: kb.versionDate };
}

/** The answer for a search: the best hit's card, or "no result" with suggestions. */
export function answerFromSearch(kb: KnowledgeBase, result: SearchResult): Answer {
  const [best, ...rest] = result.hits;
  if (!best)
    return {
      type: 'none',
      query: result.query,
      suggestions: result.suggestions,
      examples: EXAMPLE_QUERIES,
      kb: kbStamp(kb),
    };
  // "A vs B" lifts the comparing trial in the ranking; it never overrides a better-matching hit.
  return answerForEntity(kb, best.id, result.query, rest.slice(0, MAX_ALTERNATIVES))!;
}

/** The card for one entity by id (buttons and unfurls answer from ids, without searching again). */
export function answerForEntity(
  kb: KnowledgeBase,
  id: string,
  query = '',
  alternatives: Hit[] = [],
): Answer | undefined {
  const entity = kb.entity(id);
  if (!entity) return undefined;
  const stamp = kbStamp(kb);
  // A card that answers a question leads with what was asked; one opened by id (a button, a link) is whole.
  const focus = query ? { focus: focusOf(kb, id, query) } : {};
  switch (entity.kind) {
    case 'mechanism': {
      const agents = kb.agentLinks(id).map((link) => ({
        link,
        evidence: kb.evidenceForLink(id, link.agent).slice(0, EVIDENCE_PER_AGENT),
      }));
      return {
        type: 'mechanism',
        query,
        ...focus,
        mechanism: entity.item,
        agents,
        evidence: kb.evidenceForMechanism(id).slice(0, MAX_EVIDENCE),
        alternatives,
        kb: stamp,
      };
    }
    case 'agent':
      return {
        type: 'agent',
        query,
        ...focus,
        agent: entity.item,
        links: kb.mechanismLinks(id),
        evidence: kb.evidenceForAgent(id).slice(0, MAX_EVIDENCE),
        alternatives,
        kb: stamp,
      };
    case 'evidence':
      return {
        type: 'evidence',
        query,
        ...focus,
        evidence: entity.item,
        agents: kb.agentsForEvidence(id),
        mechanisms: kb.mechanismsForEvidence(id),
        related: kb.otherAnalyses(id).sort((a, b) => (b.year ?? 0) - (a.year ?? 0)),
        alternatives,
        kb: stamp,
      };
    case 'review':
      return {
        type: 'review',
        query,
        ...focus,
        review: entity.item,
        mechanisms: entity.item.mechanisms.flatMap((m) => kb.mechanismsById.get(m) ?? []),
        agents: entity.item.agents.flatMap((a) => kb.agentsById.get(a) ?? []),
        alternatives,
        kb: stamp,
      };
  }
}
