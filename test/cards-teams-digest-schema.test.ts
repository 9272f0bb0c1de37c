/**
 * Every Teams digest card against the official Adaptive Card schema of the version it declares (1.5):
 * the cards the real Teams poster sends (recorded at its surface) for a digest that fits one card, one
 * that needs follow-up cards, one with a source down and one with a trial record; the digest preview
 * in chat; and the acknowledgement that offers "Fewer like this". Together they carry each item's
 * Useful / Not relevant, "new data on …", the Wrong tags form and the Export this week form, and the
 * test checks that they do, so a form cannot drop out of what is validated.
 */
import { expect, it } from 'vitest';
import { TeamsDigestPoster } from '../handlers/teams/digest-poster.ts';
import type { TeamsSurface } from '../handlers/teams/surface.ts';
import type { Answer } from '../src/answer/answer.ts';
import {
  type AdaptiveCard,
  type CardElement,
  renderTeams,
  TEAMS_CARD_VERSION,
  teamsSyntax,
} from '../src/cards/teams.ts';
import { teamsProblems } from '../src/cards/validate.ts';
import { cardView } from '../src/cards/view.ts';
import { Core } from '../src/core.ts';
import { Classifier } from '../src/digest/classify.ts';
import { composeDigest, type Digest, SHOW_TOTAL, type SourceReport } from '../src/digest/compose.ts';
import type { LiteratureItem } from '../src/digest/sources/types.ts';
import { displayName } from '../src/knowledge/knowledge-base.ts';
import { paper, trial } from './helpers/digest-literature.ts';
import { adaptiveCardSchemaValidator } from './helpers/schemas.ts';
import { describeShared } from './helpers/shared.ts';

const core = await Core.open();
const kb = core.kb;
const classifier = new Classifier(kb);
const nameOf = (id: string) => displayName(kb, id);
const WINDOW = { since: '2026-11-23', until: '2026-11-30' };
const OK: SourceReport[] = [
  { name: 'pubmed', status: 'ok', count: 0 },
  { name: 'clinicaltrials', status: 'ok', count: 0 },
];
const KEY = 'teams:t:tenant-1:19:digest@thread.tacv2';

const compose = (items: LiteratureItem[], sources = OK) => composeDigest(kb, classifier, WINDOW, sources, items);

const TOPICS = [
  'p95HER2 expression and trastuzumab benefit',
  'PTEN loss under trastuzumab',
  'PIK3CA mutation and T-DM1 resistance',
  'HER3 upregulation after lapatinib',
  'Tucatinib for brain metastases',
];
const many = Array.from({ length: SHOW_TOTAL + 12 }, (_, i) =>
  paper(99400001 + i, `2026-11-${String(23 + (i % 7)).padStart(2, '0')}`, `${TOPICS[i % TOPICS.length]!} (${i})`),
);

const DIGESTS: [string, Digest][] = [
  [
    'a digest that fits one card, with an item on a knowledge-base trial',
    compose([
      paper(99400101, '2026-11-26', 'p95HER2 expression and trastuzumab benefit'),
      paper(99400102, '2026-11-27', 'PTEN loss under trastuzumab'),
      paper(22149875, '2026-11-28', 'Pertuzumab, trastuzumab and docetaxel: final overall survival'),
    ]),
  ],
  ['a digest with more items than the first card shows', compose(many)],
  [
    'a digest with a source down',
    compose(
      [paper(99400201, '2026-11-26', 'PTEN loss under trastuzumab')],
      [OK[0]!, { name: 'clinicaltrials', status: 'failed', count: 0 }],
    ),
  ],
  [
    'a digest with a new trial record',
    compose([
      trial('NCT09940001', '2026-11-27', 'Tucatinib and trastuzumab deruxtecan in HER2-positive breast cancer'),
    ]),
  ],
];

/** A Teams surface that records what the poster sends and accepts it. */
class RecordingSurface implements TeamsSurface {
  readonly mode = 'authenticated' as const;
  readonly cards: AdaptiveCard[] = [];
  async sendProactive(_reference: object, card: AdaptiveCard) {
    this.cards.push(card);
    return { ok: true as const, id: `posted-${this.cards.length}` };
  }
}

const reference = {
  serviceUrl: 'https://smba.trafficmanager.net/amer/',
  channelId: 'msteams',
  conversation: { id: '19:digest@thread.tacv2', conversationType: 'channel', tenantId: 'tenant-1' },
  bot: { id: '28:her2-bot', name: 'HER2 Bot' },
};

async function postedCards(digest: Digest): Promise<AdaptiveCard[]> {
  expect(digest.items.length).toBeGreaterThan(0);
  const surface = new RecordingSurface();
  const poster = new TeamsDigestPoster(surface, { get: () => ({ reference }) }, core);
  expect(await poster.post(KEY, digest)).toMatchObject({ ok: true });
  return surface.cards;
}

const cards: [string, AdaptiveCard][] = [];
for (const [name, digest] of DIGESTS) {
  const posted = await postedCards(digest);
  for (const [i, card] of posted.entries())
    cards.push([`${name}: ${i === 0 ? 'posted card' : `follow-up ${i}`}`, card]);
}
const [, first] = DIGESTS[0]!;
const preview: Answer = { type: 'digest', digest: first, all: false, title: 'Digest preview', kb: first.kb };
cards.push(['the digest preview in a channel', renderTeams(cardView(preview, nameOf, teamsSyntax(true)))]);
const fewerLikeThis: Answer = {
  type: 'notice',
  title: 'Thank you',
  message: 'Noted as not relevant.',
  details: ['Only you see this reply.'],
  offers: [{ label: 'Fewer like this: p95HER2', feedback: { f: 'mute', t: 'mech-p95her2', n: 1 } }],
  kb: first.kb,
};
cards.push(['the Not relevant acknowledgement with Fewer like this', renderTeams(cardView(fewerLikeThis, nameOf))]);

function elements(node: unknown): CardElement[] {
  if (Array.isArray(node)) return node.flatMap(elements);
  if (!node || typeof node !== 'object') return [];
  const own = 'type' in node && typeof node.type === 'string' ? [node as CardElement] : [];
  return [...own, ...Object.values(node).flatMap(elements)];
}

describeShared('Teams digest cards against the official Adaptive Card 1.5 schema', () => {
  const validate = adaptiveCardSchemaValidator();

  it.each(cards)('%s validates as the version it declares', (_name, card) => {
    expect(card.version).toBe(TEAMS_CARD_VERSION);
    // Teams' own `msteams` key (full width) is outside the schema, which allows no extra keys.
    const { msteams: _teamsOnly, ...rest } = card;
    expect(validate(rest) ? [] : validate.errors).toEqual([]);
    expect(teamsProblems(card)).toEqual([]);
  });

  it('covers every control a digest card carries', () => {
    const all = elements(cards.map(([, c]) => c));
    const submits = all.filter((e) => e.type === 'Action.Submit').map((e) => JSON.stringify(e.data));
    const forms = all.filter((e) => e.type === 'Action.ShowCard').map((e) => e.title);
    expect(submits.some((d) => d.includes('"f":"u"'))).toBe(true);
    expect(submits.some((d) => d.includes('"f":"nr"'))).toBe(true);
    expect(submits.some((d) => d.includes('"f":"mute"'))).toBe(true);
    expect(submits.some((d) => d.includes('"a":"show"'))).toBe(true);
    expect(forms).toContain('Wrong tags');
    expect(forms).toContain('Export this week');
    expect(cards.filter(([name]) => name.includes('follow-up')).length).toBeGreaterThan(0);
    const choiceSets = all.filter((e) => e.type === 'Input.ChoiceSet');
    expect(choiceSets.filter((e) => e.isMultiSelect).length).toBeGreaterThan(0);
  });

  it('offers in Wrong tags the tags the card’s items carry to remove, and every tag to add', () => {
    const [, card] = cards[0]!;
    const form = (card.actions ?? []).find((a) => a.title === 'Wrong tags') as CardElement & {
      card: { body: CardElement[] };
    };
    const [item, remove, add] = form.card.body as (CardElement & { choices: { value: string }[] })[];
    expect(item!.id).toBe('item');
    const carried = new Set(DIGESTS[0]![1].items.flatMap((d) => [...d.mechanisms, ...d.agents]));
    expect(remove!.choices.map((c) => c.value).sort()).toEqual([...carried].sort());
    expect(add!.choices).toHaveLength(kb.mechanisms.length + kb.agents.length);
    for (const chooser of [remove!, add!]) expect(chooser).toMatchObject({ isMultiSelect: true, style: 'compact' });
  });
});
