/**
 * Each kind of agent–mechanism link must be backed the way its wording claims on a card:
 * "may overcome" needs a study that names both; "proposed" is a rationale, so it rests on nothing at
 * level A or B; "not expected" is inference (E); a negative finding needs its evidence; and no link
 * claims a better level than the best evidence it cites.
 */
import { KNOWLEDGE_FILES } from './files.ts';
import { type KnowledgeBase, LEVEL_RANK } from './knowledge-base.ts';
import type { Problem } from './problem.ts';
import type { AgentLink, Level, Mechanism } from './schema.ts';

export function linkKindProblems(kb: KnowledgeBase): Problem[] {
  return kb.mechanisms.flatMap((m) =>
    m.agents.flatMap((link, i) =>
      problemsOf(kb, m, link).map((message) => ({
        file: KNOWLEDGE_FILES.mechanisms,
        id: m.id,
        field: `agents[${i}]`,
        message: `${link.agent} (${link.kind}): ${message}`,
      })),
    ),
  );
}

function problemsOf(kb: KnowledgeBase, m: Mechanism, link: AgentLink): string[] {
  const own = link.evidence.flatMap((id) => kb.evidenceById.get(id) ?? []);
  const namingBoth = kb.evidenceForAgent(link.agent).filter((e) => kb.evidenceForMechanism(m.id).includes(e));
  const out: string[] = [];
  const strong = (level: Level) => level === 'A' || level === 'B';
  switch (link.kind) {
    case 'overcomes':
      if (namingBoth.length === 0) out.push('no evidence item names both the agent and the mechanism');
      break;
    case 'proposed':
      if (strong(link.level)) out.push(`a rationale-only link cannot be level ${link.level}`);
      for (const e of own.filter((x) => strong(x.level))) {
        out.push(`rests on ${e.id} at level ${e.level}: with such evidence the link is not only proposed`);
      }
      break;
    case 'not-expected':
      if (link.level !== 'E') out.push(`an inference is level E, not ${link.level} (use does-not-overcome)`);
      break;
    case 'partner':
    case 'applies-while-her2-persists':
    case 'does-not-overcome':
      if (own.length === 0) out.push('lists no evidence');
      break;
  }
  if (link.level !== 'E') {
    const best = [...own, ...namingBoth].reduce<Level | undefined>(
      (acc, e) => (acc === undefined || LEVEL_RANK[e.level] < LEVEL_RANK[acc] ? e.level : acc),
      undefined,
    );
    if (best === undefined || LEVEL_RANK[best] > LEVEL_RANK[link.level]) {
      out.push(`level ${link.level} is better than its best evidence (${best ?? 'none'})`);
    }
  }
  return out;
}
