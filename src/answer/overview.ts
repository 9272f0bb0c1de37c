/**
 * The overview of the whole knowledge base: the mechanism map (mechanism → agents that may overcome
 * it, with the level of their best evidence), how to ask, and the review. Shown on Slack's App Home
 * and in the Teams welcome card.
 */
import type { KnowledgeBase } from '../knowledge/knowledge-base.ts';
import { EXAMPLE_QUERIES, type KbStamp, kbStamp } from './answer.ts';

export interface Overview {
  mechanisms: {
    id: string;
    name: string;
    namedInReview: boolean;
    later: boolean;
    agents: { id: string; name: string; level: string }[];
  }[];
  review: { citation: string; doi: string; thesis: string };
  examples: string[];
  counts: { mechanisms: number; agents: number; evidence: number };
  kb: KbStamp;
}

export function overview(kb: KnowledgeBase): Overview {
  return {
    mechanisms: kb.mechanisms.map((m) => ({
      id: m.id,
      name: m.shortName,
      namedInReview: m.namedInReview,
      later: m.era === 'later',
      agents: kb
        .agentLinks(m.id)
        .filter((l) => l.stance === 'overcomes')
        .map((l) => ({ id: l.agent, name: l.agentItem.name, level: l.level })),
    })),
    review: { citation: kb.review.citation.text, doi: kb.review.citation.doi, thesis: kb.review.thesis },
    examples: EXAMPLE_QUERIES,
    counts: { mechanisms: kb.mechanisms.length, agents: kb.agents.length, evidence: kb.evidence.length },
    kb: kbStamp(kb),
  };
}
