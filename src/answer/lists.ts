/** List answers: every mechanism, every agent, the clinical trials, or a page of search hits. */
import type { ListKind } from '../commands/parse.ts';
import type { KnowledgeBase } from '../knowledge/knowledge-base.ts';
import { evidenceKindLabel } from '../knowledge/labels.ts';
import type { Hit } from '../search/search.ts';
import { type Answer, kbStamp } from './answer.ts';

export const PAGE_SIZE = 8;

const CLINICAL_KINDS = new Set([
  'phase-1',
  'phase-1-2',
  'phase-2',
  'phase-3',
  'phase-3b-4',
  'pooled-analysis',
  'meta-analysis',
]);

export function listAnswer(kb: KnowledgeBase, what: ListKind, page: number): Answer {
  switch (what) {
    case 'mechanisms':
      return pagedResults(
        kb,
        'Mechanisms of trastuzumab resistance',
        'mechanisms',
        kb.mechanisms.map((m) => ({ id: m.id, kind: 'mechanism', title: m.shortName, score: 0 })),
        page,
      );
    case 'agents':
      return pagedResults(
        kb,
        'Agents against trastuzumab resistance',
        'agents',
        kb.agents.map((a) => ({ id: a.id, kind: 'agent', title: a.name, score: 0 })),
        page,
      );
    case 'trials': {
      const trials = kb.evidence
        .filter((e) => CLINICAL_KINDS.has(e.kind))
        .sort((a, b) => a.level.localeCompare(b.level) || (b.year ?? 0) - (a.year ?? 0));
      return pagedResults(
        kb,
        'Clinical trials in the knowledge base',
        'trials',
        trials.map((e) => ({
          id: e.id,
          kind: 'evidence',
          title: `${e.name} (${[evidenceKindLabel(e.kind), e.year].filter(Boolean).join(', ')})`,
          score: 0,
        })),
        page,
      );
    }
  }
}

export function pagedResults(kb: KnowledgeBase, title: string, query: string, hits: Hit[], page: number): Answer {
  const pages = Math.max(1, Math.ceil(hits.length / PAGE_SIZE));
  const current = Math.min(Math.max(1, Math.floor(page) || 1), pages);
  return {
    type: 'results',
    query,
    title,
    hits: hits.slice((current - 1) * PAGE_SIZE, current * PAGE_SIZE),
    page: current,
    pageSize: PAGE_SIZE,
    total: hits.length,
    kb: kbStamp(kb),
  };
}
