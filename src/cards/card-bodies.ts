import type { AgentLinkView, Answer } from '../answer/answer.ts';
import { evidenceKindLabel, levelLabel } from '../knowledge/labels.ts';
import type { Agent, Evidence, Mechanism } from '../knowledge/schema.ts';
import { DISCLAIMER } from './disclaimer.ts';
import { evidenceLine, resultStatement, sourceLinks, statementText, timingText } from './format.ts';
import type { CardAction, CardSection, CardView, Fact } from './view.ts';
import { clip } from './view.ts';

export function buildBody(answer: Answer): CardView {
  const footer = { kbVersion: answer.kb.version, kbDate: answer.kb.date, disclaimer: DISCLAIMER };
  const base = { facts: [], sections: [], notes: [], links: [], actions: [], footer };
  switch (answer.type) {
    case 'mechanism':
      return { ...base, ...mechanismCard(answer.mechanism, answer.agents, answer.query, answer.alternatives.length) };
    case 'agent':
      return {
        ...base,
        ...agentCard(
          answer.agent,
          answer.mechanisms,
          answer.notOvercome,
          answer.evidence,
          answer.query,
          answer.alternatives.length,
        ),
      };
    case 'evidence':
      return {
        ...base,
        ...evidenceCard(
          answer.evidence,
          answer.agents,
          answer.mechanisms,
          answer.related,
          answer.query,
          answer.alternatives.length,
        ),
      };
    case 'review': {
      const c = answer.review.citation;
      return {
        ...base,
        type: 'review',
        title: 'The review: trastuzumab resistance and novel targeted therapies',
        subtitle: `${c.authors.join(', ')}. ${c.journalAbbrev} ${c.year};${c.volume}(${c.issue}):${c.pages}`,
        summary: answer.review.summary,
        facts: [{ label: 'Thesis', value: answer.review.thesis }],
        sections: [
          {
            heading: 'Resistance models it names',
            items: answer.mechanisms.map((m) => ({ id: m.id, title: m.shortName, text: m.summary, evidence: [] })),
          },
          {
            heading: 'Agents it discusses',
            items: [{ text: answer.agents.map((a) => a.name).join(', '), evidence: [] }],
          },
        ],
        notes: answer.review.limits.slice(0, 2),
        links: [
          { label: 'DOI', url: `https://doi.org/${c.doi}` },
          { label: 'PMC', url: `https://pmc.ncbi.nlm.nih.gov/articles/${c.pmcid}/` },
        ],
        actions: moreAction(answer.query, answer.alternatives.length),
        fallback: `The review: ${c.text}`,
      };
    }
    case 'results': {
      const pages = Math.ceil(answer.total / answer.pageSize);
      const actions: CardAction[] = [];
      if (answer.page > 1)
        actions.push({ label: 'Previous', payload: { a: 'page', q: clip(answer.query), p: answer.page - 1 } });
      if (answer.page < pages)
        actions.push({ label: 'Next', payload: { a: 'page', q: clip(answer.query), p: answer.page + 1 } });
      return {
        ...base,
        type: 'results',
        title: answer.title,
        subtitle: pages > 1 ? `Page ${answer.page} of ${pages} (${answer.total} in all)` : `${answer.total} in all`,
        sections: [
          {
            heading: '',
            items: answer.hits.map((h) => ({ id: h.id, title: h.title, text: kindWord(h.kind), evidence: [] })),
          },
        ],
        actions,
        fallback: `${answer.title}: ${answer.hits.map((h) => h.title).join(', ')}`,
      };
    }
    case 'none':
      return {
        ...base,
        type: 'none',
        title: 'No match in the knowledge base',
        summary: `Nothing in the knowledge base matches “${answer.query}”.`,
        sections: [
          ...(answer.suggestions.length > 0
            ? [
                {
                  heading: 'Did you mean',
                  items: answer.suggestions.map((s) => ({ id: s.id, title: s.text, evidence: [] })),
                },
              ]
            : []),
          { heading: 'Try', items: answer.examples.map((q) => ({ title: `/her2 ${q}`, evidence: [] })) },
        ],
        fallback: `No match for “${answer.query}”${answer.suggestions.length > 0 ? `; did you mean ${answer.suggestions.map((s) => s.text).join(', ')}?` : ''}`,
      };
    case 'help':
      return {
        ...base,
        type: 'help',
        title: 'her2-bot: trastuzumab resistance in HER2-positive breast cancer',
        summary:
          'Ask about a resistance mechanism, a drug or a trial. Answers come only from a curated knowledge base built on Gajria & Chandarlapaty (Expert Rev Anticancer Ther 2011) and the trials that followed, each with its source.',
        sections: [
          {
            heading: 'Commands',
            items: [
              { title: '/her2 <question>', text: 'search mechanisms, agents and trials', evidence: [] },
              { title: '/her2 mechanisms', text: 'all resistance mechanisms', evidence: [] },
              { title: '/her2 agents', text: 'all agents', evidence: [] },
              { title: '/her2 trials', text: 'the clinical trials', evidence: [] },
              {
                title: '/her2 digest subscribe [HH:MM] [Area/City] [topic …]',
                text: 'daily literature digest in this channel',
                evidence: [],
              },
              { title: '/her2 digest status | preview | unsubscribe', text: 'manage the digest', evidence: [] },
            ],
          },
          { heading: 'Examples', items: answer.examples.map((q) => ({ title: `/her2 ${q}`, evidence: [] })) },
        ],
        notes: ['In Teams, and in Slack channels, @-mention the bot with the same words.'],
        fallback: 'her2-bot help: /her2 <question>, /her2 mechanisms, /her2 agents, /her2 trials, /her2 digest',
      };
    case 'error':
      return {
        ...base,
        type: 'error',
        title: 'Sorry, that did not work',
        summary: answer.message,
        fallback: answer.message,
      };
    case 'notice':
      return {
        ...base,
        type: 'notice',
        title: answer.title,
        summary: answer.message,
        sections:
          answer.details.length > 0
            ? [{ heading: '', items: answer.details.map((text) => ({ text, evidence: [] })) }]
            : [],
        fallback: `${answer.title}: ${answer.message}`,
      };
    case 'digest':
      throw new Error('digest answers are rendered by digestView');
  }
}

function mechanismCard(
  m: Mechanism,
  links: AgentLinkView[],
  query: string,
  alternatives: number,
): Omit<CardView, 'footer'> {
  const overcome = links.filter((l) => l.link.stance === 'overcomes');
  const not = links.filter((l) => l.link.stance === 'does-not-overcome');
  const facts: Fact[] = [];
  const biomarker = m.biomarkers.find((b) => b.verified) ?? m.biomarkers[0];
  if (biomarker) facts.push({ label: 'Biomarker', value: statementText(biomarker) });
  const frequency = m.frequency.find((f) => f.verified);
  if (frequency) facts.push({ label: 'Frequency', value: frequency.text });
  const sections: CardSection[] = [
    {
      heading: 'What may overcome it',
      items: overcome.map((l) => ({
        id: l.link.agent,
        title: `${l.link.agentItem.name} (level ${l.link.level})`,
        text: l.link.rationale,
        evidence: l.evidence.slice(0, 1).map(evidenceLine),
      })),
    },
  ];
  if (not.length > 0) {
    sections.push({
      heading: 'Does not overcome it',
      items: not.map((l) => ({ id: l.link.agent, title: l.link.agentItem.name, text: l.link.rationale, evidence: [] })),
    });
  }
  return {
    type: 'mechanism',
    title: m.shortName,
    subtitle: m.namedInReview
      ? 'Resistance mechanism · one of the models named in the 2011 review'
      : m.era === 'later'
        ? 'Resistance mechanism · described after the 2011 review (later data)'
        : 'Resistance mechanism',
    summary: m.summary,
    facts,
    sections,
    notes: m.caveats.slice(0, 2),
    links: [],
    actions: [
      { label: 'Agents', payload: { a: 'agents', id: m.id }, style: 'primary' },
      { label: 'Evidence', payload: { a: 'evidence', id: m.id } },
      ...moreAction(query, alternatives),
    ],
    fallback: `${m.shortName}: ${m.summary}`,
  };
}

function agentCard(
  a: Agent,
  mechanisms: Mechanism[],
  notOvercome: Mechanism[],
  evidence: Evidence[],
  query: string,
  alternatives: number,
): Omit<CardView, 'footer'> {
  const names = a.names.filter((n) => n.verified && n.kind !== 'alias');
  const facts: Fact[] = [];
  const byKind = (kind: string) => names.filter((n) => n.kind === kind).map((n) => n.name);
  if (byKind('brand').length > 0) facts.push({ label: 'Brand', value: byKind('brand').join(', ') });
  if (byKind('code').length > 0) facts.push({ label: 'Code', value: byKind('code').join(', ') });
  const members = a.members
    .map((m) =>
      m.names
        .filter((n) => n.verified)
        .map((n) => n.name)
        .join(' / '),
    )
    .filter(Boolean);
  if (members.length > 0) facts.push({ label: 'Includes', value: members.join('; ') });
  facts.push(
    { label: 'Class', value: a.class },
    { label: 'Target', value: a.targets.join(', ') },
    { label: 'Status', value: a.status },
  );
  const approvals = a.approvals.filter((x) => x.verified).slice(0, 3);
  if (approvals.length > 0) facts.push({ label: 'Approvals', value: approvals.map((x) => x.text).join(' · ') });

  const sections: CardSection[] = [];
  if (mechanisms.length > 0) {
    sections.push({
      heading: 'Resistance mechanisms it may overcome',
      items: mechanisms.map((m) => ({ id: m.id, title: m.shortName, text: rationaleFor(m, a.id), evidence: [] })),
    });
  }
  if (notOvercome.length > 0) {
    sections.push({
      heading: 'Not expected to overcome',
      items: notOvercome.map((m) => ({ id: m.id, title: m.shortName, text: rationaleFor(m, a.id), evidence: [] })),
    });
  }
  if (evidence.length > 0)
    sections.push({ heading: 'Key evidence', items: [{ evidence: evidence.slice(0, 4).map(evidenceLine) }] });
  const safety = a.safety.filter((s) => s.verified).slice(0, 3);
  if (safety.length > 0)
    sections.push({ heading: 'Safety', items: safety.map((s) => ({ text: s.text, evidence: [] })) });
  if (evidence.length === 0 && a.evidenceGap)
    sections.push({ heading: 'Evidence', items: [{ text: a.evidenceGap, evidence: [] }] });

  return {
    type: 'agent',
    title: a.name,
    subtitle: `${a.class}${a.era === 'later' ? ' · approved after the 2011 review (later data)' : ''}`,
    summary: a.mechanismOfAction,
    facts,
    sections,
    notes: a.caveats.slice(0, 2),
    links: [],
    actions: [
      { label: 'Evidence', payload: { a: 'evidence', id: a.id }, style: 'primary' },
      ...(mechanisms.length > 0 ? [{ label: 'Mechanisms', payload: { a: 'agents' as const, id: a.id } }] : []),
      ...moreAction(query, alternatives),
    ],
    fallback: `${a.name}: ${a.class}. ${a.status}`,
  };
}

function evidenceCard(
  e: Evidence,
  agents: Agent[],
  mechanisms: Mechanism[],
  related: Evidence[],
  query: string,
  alternatives: number,
): Omit<CardView, 'footer'> {
  const facts: Fact[] = [{ label: 'Setting', value: e.setting }];
  if (e.design) facts.push({ label: 'Design', value: e.design });
  if (e.arms.length > 0)
    facts.push({
      label: 'Arms',
      value: e.arms.map((arm) => (arm.n ? `${arm.label} (n=${arm.n})` : arm.label)).join(' vs '),
    });
  if (e.n) facts.push({ label: 'Patients', value: `n=${e.n}` });
  if (e.primaryEndpoint) facts.push({ label: 'Primary endpoint', value: e.primaryEndpoint });
  facts.push({ label: 'Evidence level', value: levelLabel(e.level) + (e.levelNote ? ` (${e.levelNote})` : '') });

  const sections: CardSection[] = [];
  const results = e.results.map((r) => ({ text: resultStatement(r, { arms: true }), evidence: [] }));
  if (results.length > 0) sections.push({ heading: 'Results', items: results });
  const findings = e.findings.map((f) => ({ text: statementText(f), evidence: [] }));
  if (findings.length > 0) sections.push({ heading: 'Findings', items: findings.slice(0, 4) });
  const supports = [
    ...mechanisms.map((m) => ({ id: m.id, title: m.shortName, text: 'mechanism', evidence: [] })),
    ...agents.map((a) => ({ id: a.id, title: a.name, text: 'agent', evidence: [] })),
  ];
  if (supports.length > 0) sections.push({ heading: 'Links to', items: supports });
  if (related.length > 0)
    sections.push({
      heading: 'Other analyses of this trial',
      items: [{ evidence: related.slice(0, 3).map(evidenceLine) }],
    });

  const links = sourceLinks(e);
  return {
    type: 'evidence',
    title: e.name,
    subtitle: [evidenceKindLabel(e.kind), e.year, timingText(e)].filter(Boolean).join(' · '),
    summary: `${e.title}. ${e.summary}`,
    facts,
    sections,
    notes: [
      `Citation: ${e.citation.verified ? e.citation.text : `${e.citation.text} (details not fully verified)`}`,
      ...(links.length === 0 ? ['No PubMed, DOI or ClinicalTrials.gov identifier verified yet: no source link.'] : []),
      ...e.caveats.slice(0, 2),
    ],
    links,
    actions: [
      ...(agents.length > 0
        ? [{ label: 'Agents', payload: { a: 'agents' as const, id: e.id }, style: 'primary' as const }]
        : []),
      ...links.slice(0, 2).map((l) => ({ label: `Open ${l.label}`, url: l.url })),
      ...moreAction(query, alternatives),
    ],
    fallback: `${e.name} (${evidenceKindLabel(e.kind)}): ${e.summary}`,
  };
}

function rationaleFor(m: Mechanism, agentId: string): string | undefined {
  return m.agents.find((l) => l.agent === agentId)?.rationale;
}

function moreAction(query: string, alternatives: number): CardAction[] {
  return query && alternatives > 0 ? [{ label: 'More results', payload: { a: 'more', q: clip(query), p: 1 } }] : [];
}

function kindWord(kind: string): string {
  return kind === 'evidence' ? 'trial or study' : kind;
}
