/**
 * Checks of `knowledge/concepts.yaml` that its schema cannot express: every id it names exists in the
 * knowledge base (scope ids in scope.yaml), every setting a trial or situation names is defined, and every pattern compiles.
 */
import { KNOWLEDGE_FILES } from './files.ts';
import type { KnowledgeBase } from './knowledge-base.ts';
import type { Problem } from './problem.ts';

export function checkConcepts(kb: KnowledgeBase): Problem[] {
  const file = KNOWLEDGE_FILES.concepts;
  const data = kb.concepts.data;
  const problems: Problem[] = [];
  const unknown = (field: string, id: string) => {
    if (!kb.entity(id)) problems.push({ file, id, field, message: `names unknown id ${id}` });
  };
  for (const id of Object.keys(data.mechanisms)) unknown('mechanisms', id);
  for (const id of Object.keys(data.agents)) unknown('agents', id);
  for (const id of Object.keys(data.trials)) unknown('trials', id);
  for (const rule of data.ambiguous) unknown(`ambiguous ${rule.alias}`, rule.means);
  for (const id of Object.keys(data.digest.classTargets)) unknown('digest.classTargets', id);
  for (const id of Object.keys(data.digest.weakAliases)) unknown('digest.weakAliases', id);
  for (const rule of data.digest.actsOn) {
    unknown('digest.actsOn', rule.agent);
    unknown('digest.actsOn', rule.mechanism);
    // "Acts on" must be a link of the knowledge base whose kind means the drug acts on the mechanism
    // (overcomes, proposed): never partner, applies-while-her2-persists, does-not-overcome or not-expected.
    const link = kb.mechanismsById.get(rule.mechanism)?.agents.find((l) => l.agent === rule.agent);
    if (!link || (link.kind !== 'overcomes' && link.kind !== 'proposed'))
      problems.push({
        file,
        id: rule.agent,
        field: 'digest.actsOn',
        message: `says ${rule.agent} acts on ${rule.mechanism}, but the knowledge base links them as ${link?.kind ?? 'nothing'}`,
      });
  }

  const scopes = new Set(kb.scope.notCovered.map((n) => n.id));
  for (const id of Object.keys(data.notCovered)) {
    if (!scopes.has(id))
      problems.push({ file, id, field: 'notCovered', message: `names ${id}, which scope.yaml lacks` });
  }
  const situations = new Set(kb.scope.patientQuestions.situations.map((s) => s.id));
  for (const id of Object.keys(data.patientRequests.situations)) {
    if (!situations.has(id)) {
      problems.push({ file, id, field: 'patientRequests.situations', message: `names ${id}, which scope.yaml lacks` });
    }
  }

  const settings = new Set(data.settings.map((s) => s.id));
  const setting = (field: string, id: string) => {
    if (!settings.has(id)) problems.push({ file, id, field, message: `names setting ${id}, which is not defined` });
  };
  for (const [trial, t] of Object.entries(data.trials)) for (const s of t.settings) setting(`trials ${trial}`, s);
  for (const [situation, wanted] of Object.entries(data.patientRequests.situations)) {
    for (const s of wanted) setting(`patientRequests.situations ${situation}`, s);
  }
  for (const [i, pattern] of data.patientRequests.patterns.entries()) {
    try {
      new RegExp(pattern, 'iu');
    } catch (err) {
      problems.push({ file, field: `patientRequests.patterns[${i}]`, message: (err as Error).message });
    }
  }
  return problems;
}
