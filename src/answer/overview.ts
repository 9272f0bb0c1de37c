/**
 * The overview of the whole knowledge base: the mechanism map (mechanism → agents used or proposed
 * against it, with the kind of link and the level of its best evidence), how to ask, and the review. Shown on Slack's App Home
 * and in the Teams welcome card.
 */
import { isCountermeasure, type KnowledgeBase } from '../knowledge/knowledge-base.ts';
import type { LinkKind } from '../knowledge/schema.ts';
import { EXAMPLE_QUERIES, type KbStamp, kbStamp } from './answer.ts';

export interface Overview {
  mechanisms: {
    id: string;
    name: string;
    namedInReview: boolean;
    later: boolean;
    /** Agents used or proposed against it (never those that do not overcome it). */
    agents: { id: string; name: string; level: string; kind: LinkKind }[];
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
        .filter((l) => isCountermeasure(l.kind))
        .map((l) => ({ id: l.agent, name: l.agentItem.name, level: l.level, kind: l.kind })),
    })),
    review: { citation: kb.review.citation.text, doi: kb.review.citation.doi, thesis: kb.review.thesis },
    examples: EXAMPLE_QUERIES,
    counts: { mechanisms: kb.mechanisms.length, agents: kb.agents.length, evidence: kb.evidence.length },
    kb: kbStamp(kb),
  };
}
