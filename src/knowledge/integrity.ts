/**
 * Checks that the schema alone cannot express: ids unique and resolvable, every claim cited, hazard
 * ratios inside their confidence intervals, every mechanism and agent backed by evidence, and the
 * two sides of each mechanism–agent link agreeing.
 */

import { changeProblems } from './change-checks.ts';
import { KNOWLEDGE_FILES } from './files.ts';
import { isCountermeasure, isOutsideScope, type KnowledgeBase, PROSE_REFERENCE } from './knowledge-base.ts';
import { linkKindProblems } from './link-checks.ts';
import type { Problem } from './problem.ts';
import type { Evidence, Result } from './schema.ts';

const REVIEW_YEAR = 2011;

export function checkIntegrity(kb: KnowledgeBase): Problem[] {
  return [
    ...uniqueIds(kb),
    ...references(kb),
    ...citations(kb),
    ...intervals(kb),
    ...coverage(kb),
    ...linkAgreement(kb),
    ...linkKindProblems(kb),
    ...reviewTiming(kb),
    ...proseReferences(kb),
    ...scopeReferences(kb),
    ...outOfScopeLinks(kb),
    ...changeProblems(kb),
  ];
}

/**
 * A HER2-low/ultralow trial says nothing about resistance in HER2-positive disease, so it may not be
 * the evidence a mechanism–agent link rests on (it may still be listed as context).
 */
function outOfScopeLinks(kb: KnowledgeBase): Problem[] {
  const problems: Problem[] = [];
  for (const m of kb.mechanisms) {
    m.agents.forEach((link, i) => {
      link.evidence.forEach((id, j) => {
        const e = kb.evidenceById.get(id);
        if (e && isOutsideScope(e)) {
          problems.push({
            file: KNOWLEDGE_FILES.mechanisms,
            id: m.id,
            field: `agents[${i}].evidence[${j}]`,
            message: `${id} is outside the HER2-positive scope (${e.her2Population}) and cannot support a link`,
          });
        }
      });
    });
  }
  return problems;
}

/** Scope entries and situations: ids unique within the file, and every linked id held by the knowledge base. */
function scopeReferences(kb: KnowledgeBase): Problem[] {
  const file = KNOWLEDGE_FILES.scope;
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const entries = [
    ...kb.scope.notCovered.map((n) => ({ id: n.id, field: 'related', refs: n.related })),
    ...kb.scope.patientQuestions.situations.map((s) => ({ id: s.id, field: 'evidence', refs: s.evidence })),
  ];
  for (const { id, field, refs } of entries) {
    if (seen.has(id)) problems.push({ file, id, field: 'id', message: 'duplicate id' });
    seen.add(id);
    refs.forEach((ref, i) => {
      if (!kb.entity(ref)) problems.push({ file, id, field: `${field}[${i}]`, message: `unknown id ${ref}` });
    });
  }
  return problems;
}

/** Fields that hold ids by design, not prose. */
const ID_FIELDS = new Set(['id', 'agent', 'agents', 'comparators', 'mechanisms', 'evidence', 'related']);

function proseReferences(kb: KnowledgeBase): Problem[] {
  const problems: Problem[] = [];
  const visit = (file: string, id: string, value: unknown, path: string) => {
    if (typeof value === 'string') {
      for (const ref of value.match(PROSE_REFERENCE) ?? []) {
        if (!kb.entity(ref)) problems.push({ file, id, field: path, message: `prose names unknown id ${ref}` });
      }
    } else if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) visit(file, id, v, `${path}[${i}]`);
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (!ID_FIELDS.has(k)) visit(file, id, v, path ? `${path}.${k}` : k);
      }
    }
  };
  for (const m of kb.mechanisms) visit(KNOWLEDGE_FILES.mechanisms, m.id, m, '');
  for (const a of kb.agents) visit(KNOWLEDGE_FILES.agents, a.id, a, '');
  for (const e of kb.evidence) visit(KNOWLEDGE_FILES.evidence, e.id, e, '');
  visit(KNOWLEDGE_FILES.review, 'review', kb.review, '');
  visit(KNOWLEDGE_FILES.scope, 'scope', kb.scope, '');
  return problems;
}

function uniqueIds(kb: KnowledgeBase): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, string>();
  const visit = (file: string, id: string) => {
    const first = seen.get(id);
    if (first) problems.push({ file, id, field: 'id', message: `duplicate id (first defined in ${first})` });
    else seen.set(id, file);
  };
  for (const m of kb.mechanisms) visit(KNOWLEDGE_FILES.mechanisms, m.id);
  for (const a of kb.agents) visit(KNOWLEDGE_FILES.agents, a.id);
  for (const e of kb.evidence) visit(KNOWLEDGE_FILES.evidence, e.id);
  return problems;
}

function references(kb: KnowledgeBase): Problem[] {
  const problems: Problem[] = [];
  const check = (
    file: string,
    id: string,
    field: string,
    refs: readonly string[],
    pool: ReadonlyMap<string, unknown>,
  ) => {
    refs.forEach((ref, i) => {
      if (!pool.has(ref)) problems.push({ file, id, field: `${field}[${i}]`, message: `unknown id ${ref}` });
    });
  };
  const { mechanisms: mf, agents: af, evidence: ef, review: rf } = KNOWLEDGE_FILES;
  for (const m of kb.mechanisms) {
    check(mf, m.id, 'evidence', m.evidence, kb.evidenceById);
    m.agents.forEach((link, i) => {
      check(mf, m.id, `agents[${i}].agent`, [link.agent], kb.agentsById);
      check(mf, m.id, `agents[${i}].evidence`, link.evidence, kb.evidenceById);
    });
  }
  for (const a of kb.agents) {
    check(af, a.id, 'mechanisms', a.mechanisms, kb.mechanismsById);
    check(af, a.id, 'evidence', a.evidence, kb.evidenceById);
  }
  for (const e of kb.evidence) {
    check(ef, e.id, 'agents', e.agents, kb.agentsById);
    check(ef, e.id, 'mechanisms', e.mechanisms, kb.mechanismsById);
    const linked = new Set(kb.agentsForEvidence(e.id).map((a) => a.id));
    e.comparators.forEach((agent, i) => {
      if (!linked.has(agent))
        problems.push({
          file: ef,
          id: e.id,
          field: `comparators[${i}]`,
          message: `${agent} is not linked to this item`,
        });
    });
  }
  check(rf, 'review', 'mechanisms', kb.review.mechanisms, kb.mechanismsById);
  check(rf, 'review', 'agents', kb.review.agents, kb.agentsById);
  return problems;
}

/** The schema checks identifier formats; here: an item with no linkable identifier is flagged. */
function citations(kb: KnowledgeBase): Problem[] {
  return kb.evidence.flatMap((e): Problem[] => {
    const c = e.citation;
    if (c.pmid || c.doi || c.pmcid || (c.nct?.length ?? 0) > 0) return [];
    return [
      {
        file: KNOWLEDGE_FILES.evidence,
        id: e.id,
        field: 'citation',
        severity: 'warning',
        message: 'no PMID, DOI, PMCID or NCT id: cards show the text citation without a link until one is verified',
      },
    ];
  });
}

function intervals(kb: KnowledgeBase): Problem[] {
  const problems: Problem[] = [];
  for (const e of kb.evidence) {
    e.results.forEach((r, i) => {
      for (const message of intervalProblems(r)) {
        problems.push({ file: KNOWLEDGE_FILES.evidence, id: e.id, field: `results[${i}]`, message });
      }
    });
  }
  return problems;
}

export function intervalProblems(r: Result): string[] {
  const out: string[] = [];
  const inside = (label: string, value: string, ci: readonly [string, string] | undefined) => {
    if (!ci || value === 'NR') return;
    const [lo, hi] = ci.map(Number) as [number, number];
    const v = Number(value);
    if (Number.isNaN(lo) || Number.isNaN(hi)) return; // "NR" bounds cannot be checked
    if (lo > hi) out.push(`${label} confidence interval ${ci[0]}–${ci[1]} has its bounds reversed`);
    else if (v < lo || v > hi) out.push(`${label} ${value} lies outside its confidence interval ${ci[0]}–${ci[1]}`);
  };
  if (r.ratio) inside(`${r.endpoint} ${r.ratio.kind}`, r.ratio.value, r.ratio.ci);
  for (const v of r.values) inside(`${r.endpoint} ${v.arm ?? 'value'}`, v.value, v.ci);
  return out;
}

function coverage(kb: KnowledgeBase): Problem[] {
  const problems: Problem[] = [];
  for (const m of kb.mechanisms) {
    if (!m.agents.some((l) => isCountermeasure(l.kind))) {
      problems.push({
        file: KNOWLEDGE_FILES.mechanisms,
        id: m.id,
        field: 'agents',
        message: 'no agent is used or proposed against this mechanism',
      });
    }
    if (kb.evidenceForMechanism(m.id).length === 0) {
      problems.push({
        file: KNOWLEDGE_FILES.mechanisms,
        id: m.id,
        field: 'evidence',
        message: 'no evidence item supports this mechanism',
      });
    }
  }
  for (const a of kb.agents) {
    if (kb.evidenceForAgent(a.id).length === 0) {
      problems.push(
        a.evidenceGap
          ? {
              file: KNOWLEDGE_FILES.agents,
              id: a.id,
              field: 'evidenceGap',
              severity: 'warning',
              message: `no evidence item: ${a.evidenceGap}`,
            }
          : {
              file: KNOWLEDGE_FILES.agents,
              id: a.id,
              field: 'evidence',
              message: 'no evidence item concerns this agent (add one, or explain in evidenceGap)',
            },
      );
    }
  }
  return problems;
}

/**
 * An agent's `mechanisms` must be exactly the mechanisms that link it with a kind saying it is used or
 * proposed against them (not `does-not-overcome` or `not-expected`, which live on the mechanism side only).
 */
function linkAgreement(kb: KnowledgeBase): Problem[] {
  const problems: Problem[] = [];
  for (const a of kb.agents) {
    const fromMechanisms = new Set(kb.mechanismsForAgent(a.id).map((m) => m.id));
    for (const id of a.mechanisms) {
      if (kb.mechanismsById.has(id) && !fromMechanisms.has(id)) {
        problems.push({
          file: KNOWLEDGE_FILES.agents,
          id: a.id,
          field: 'mechanisms',
          message: `lists ${id}, but ${KNOWLEDGE_FILES.mechanisms} has no link from ${id} to ${a.id} of a kind used or proposed against it`,
        });
      }
    }
    for (const id of fromMechanisms) {
      if (!a.mechanisms.includes(id)) {
        problems.push({
          file: KNOWLEDGE_FILES.agents,
          id: a.id,
          field: 'mechanisms',
          message: `${id} lists ${a.id} as used or proposed against it, but the agent's mechanisms omit ${id}`,
        });
      }
    }
  }
  return problems;
}

/** A study published before 2011 cannot postdate the February 2011 review, nor one after 2011 predate it. */
function reviewTiming(kb: KnowledgeBase): Problem[] {
  return kb.evidence.flatMap((e: Evidence): Problem[] => {
    if (e.year === undefined) return [];
    const wrong =
      (e.year < REVIEW_YEAR && e.relativeToReview === 'after') ||
      (e.year > REVIEW_YEAR && e.relativeToReview === 'before');
    return wrong
      ? [
          {
            file: KNOWLEDGE_FILES.evidence,
            id: e.id,
            field: 'relativeToReview',
            message: `'${e.relativeToReview}' contradicts year ${e.year}`,
          },
        ]
      : [];
  });
}
