/** The tags a reader may put on a digest item: every mechanism and agent, in the knowledge base's order. */
import type { KnowledgeBase } from '../knowledge/knowledge-base.ts';

export interface TagChoice {
  id: string;
  name: string;
}

export function tagChoices(kb: KnowledgeBase): TagChoice[] {
  return [
    ...kb.mechanisms.map((m) => ({ id: m.id, name: m.shortName })),
    ...kb.agents.map((a) => ({ id: a.id, name: a.name })),
  ];
}
