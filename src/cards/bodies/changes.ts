/**
 * "What's new": what a knowledge-base release added, corrected and changed. Ids are written into the
 * text and shown as names (the view replaces them), so the card lists trials and drugs as readers know them.
 */
import type { Answer } from '../../answer/answer.ts';
import type { Release } from '../../knowledge/schema.ts';
import type { CardSection } from '../card-view.ts';
import { type Body, EMPTY } from './common.ts';

export function changesBody(answer: Extract<Answer, { type: 'changes' }>): Body {
  const [newest] = answer.releases;
  if (!newest) {
    return {
      ...EMPTY,
      type: 'changes',
      title: 'No changes',
      summary: `Nothing changed after ${answer.since ?? answer.kb.version}; the knowledge base is at ${answer.kb.version} (${answer.kb.date}).`,
      fallback: `No knowledge-base changes after ${answer.since ?? answer.kb.version}.`,
    };
  }
  const sections = answer.releases.flatMap((r) => releaseSections(r, answer.releases.length > 1));
  const count = (r: Release) =>
    `${r.added.length} added, ${r.corrected.length} corrections, ${r.changed.length} updated`;
  return {
    ...EMPTY,
    type: 'changes',
    title:
      answer.releases.length > 1
        ? `What's new in the knowledge base since ${answer.since}`
        : `What's new in the knowledge base ${newest.version} (${newest.date})`,
    summary: answer.releases
      .map((r) => (answer.releases.length > 1 ? `${r.version}: ${r.summary}` : r.summary))
      .join(' '),
    sections,
    notes: answer.releases.flatMap((r) => r.notes),
    fallback: `Knowledge base ${newest.version} (${newest.date}): ${count(newest)}. ${newest.summary}`,
  };
}

function releaseSections(r: Release, prefixed: boolean): CardSection[] {
  const heading = (h: string) => (prefixed ? `${r.version}: ${h}` : h);
  const evidence = r.added.filter((id) => id.startsWith('ev-'));
  const others = r.added.filter((id) => !id.startsWith('ev-'));
  const sections: CardSection[] = [];
  if (r.added.length > 0) {
    sections.push({
      heading: heading(`Added (${r.added.length})`),
      items: [
        ...(evidence.length > 0
          ? [{ title: `Trials and studies (${evidence.length})`, text: evidence.join(', '), evidence: [] }]
          : []),
        ...(others.length > 0
          ? [{ title: `Agents and mechanisms (${others.length})`, text: others.join(', '), evidence: [] }]
          : []),
      ],
    });
  }
  if (r.corrected.length > 0) {
    sections.push({
      heading: heading(`Corrected (${r.corrected.length})`),
      items: r.corrected.map((c) => ({
        ...(c.id === 'review' ? {} : { id: c.id }),
        title: c.id === 'review' ? 'The 2011 review' : c.id,
        text: c.what,
        evidence: [],
      })),
    });
  }
  if (r.changed.length > 0) {
    sections.push({
      heading: heading(`Updated (${r.changed.length})`),
      items: [{ text: r.changed.join(', '), evidence: [] }],
    });
  }
  if (r.removed.length > 0) {
    sections.push({
      heading: heading(`Removed (${r.removed.length})`),
      items: [{ text: r.removed.join(', '), evidence: [] }],
    });
  }
  return sections;
}
