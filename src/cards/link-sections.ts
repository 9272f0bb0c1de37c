/**
 * The sections that say what agents do to a mechanism (on its card) and what an agent does to
 * mechanisms (on the agent's card): one section per kind of link, each worded for its kind, so a
 * rationale-only link never appears under "may overcome".
 */
import type { AgentLinkView } from '../answer/answer.ts';
import type { MechanismLink } from '../knowledge/knowledge-base.ts';
import { LINK_KINDS } from '../knowledge/knowledge-base.ts';
import { linkWording } from '../knowledge/link-labels.ts';
import type { LinkKind } from '../knowledge/schema.ts';
import type { CardSection } from './card-view.ts';
import { evidenceLine } from './format.ts';

/** Kinds whose best evidence is shown under the agent: the evidence is what the link rests on. */
const SHOWS_EVIDENCE = new Set<LinkKind>(['overcomes', 'partner', 'applies-while-her2-persists']);

export function mechanismLinkSections(links: readonly AgentLinkView[]): CardSection[] {
  return LINK_KINDS.flatMap((kind) => {
    const ofKind = links.filter((l) => l.link.kind === kind);
    if (ofKind.length === 0) return [];
    return [
      {
        heading: linkWording(kind).onMechanism,
        items: ofKind.map((l) => ({
          id: l.link.agent,
          title: `${l.link.agentItem.name} (level ${l.link.level})`,
          text: l.link.rationale,
          evidence: SHOWS_EVIDENCE.has(kind) ? l.evidence.slice(0, 1).map(evidenceLine) : [],
        })),
      },
    ];
  });
}

export function agentLinkSections(links: readonly MechanismLink[]): CardSection[] {
  return LINK_KINDS.flatMap((kind) => {
    const ofKind = links.filter((l) => l.link.kind === kind);
    if (ofKind.length === 0) return [];
    return [
      {
        heading: linkWording(kind).onAgent,
        items: ofKind.map(({ mechanism, link }) => ({
          id: mechanism.id,
          title: `${mechanism.shortName} (level ${link.level})`,
          text: link.rationale,
          evidence: [],
        })),
      },
    ];
  });
}
