/**
 * Checks that a rendered card would be accepted: Slack's documented limits, and an Adaptive Card that
 * Microsoft's own `adaptivecards` parser reads without errors at version 1.5, within the size limit.
 * Used by the contract tests over the whole knowledge base, and by the playground.
 */
import { createRequire } from 'node:module';
import type { KnownBlock } from '@slack/types';
import { SLACK_LIMITS, type SlackMessage } from './slack.ts';
import { type AdaptiveCard, cardBytes, TEAMS_CARD_VERSION, TEAMS_MAX_BYTES, type TeamsCardVersion } from './teams.ts';

export function slackProblems(message: SlackMessage): string[] {
  const problems: string[] = [];
  const { blocks } = message;
  if (!message.text || message.text.length > SLACK_LIMITS.fallbackText)
    problems.push('fallback text missing or too long');
  if (blocks.length > SLACK_LIMITS.blocks) problems.push(`${blocks.length} blocks (limit ${SLACK_LIMITS.blocks})`);
  const actionIds = new Set<string>();
  const checkButton = (b: { text: { text: string }; action_id?: string; value?: string; url?: string }) => {
    if (b.text.text.length > SLACK_LIMITS.buttonText) problems.push(`button text over ${SLACK_LIMITS.buttonText}`);
    if (b.value && b.value.length > SLACK_LIMITS.buttonValue) problems.push('button value over 2000');
    if (b.url && !b.url.startsWith('https://')) problems.push(`button url not https: ${b.url}`);
    if (!b.action_id) problems.push('button without action_id');
    else if (actionIds.has(b.action_id)) problems.push(`duplicate action_id ${b.action_id}`);
    else actionIds.add(b.action_id);
  };
  blocks.forEach((block: KnownBlock, i) => {
    switch (block.type) {
      case 'header':
        if (block.text.text.length > SLACK_LIMITS.header)
          problems.push(`block ${i}: header over ${SLACK_LIMITS.header}`);
        break;
      case 'section':
        if (!block.text && !block.fields) problems.push(`block ${i}: section with neither text nor fields`);
        if (block.text && (block.text.text.length === 0 || block.text.text.length > SLACK_LIMITS.sectionText)) {
          problems.push(`block ${i}: section text length ${block.text.text.length}`);
        }
        if (block.fields && block.fields.length > SLACK_LIMITS.fields)
          problems.push(`block ${i}: ${block.fields.length} fields`);
        for (const f of block.fields ?? []) {
          if (f.text.length > SLACK_LIMITS.fieldText) problems.push(`block ${i}: field over ${SLACK_LIMITS.fieldText}`);
        }
        if (block.accessory?.type === 'button') checkButton(block.accessory);
        break;
      case 'actions':
        if (block.elements.length > SLACK_LIMITS.actionsElements) problems.push(`block ${i}: too many actions`);
        for (const e of block.elements) if (e.type === 'button') checkButton(e);
        break;
      case 'context':
        if (block.elements.length > SLACK_LIMITS.contextElements)
          problems.push(`block ${i}: too many context elements`);
        for (const e of block.elements) {
          if ('text' in e && typeof e.text === 'string' && e.text.length > SLACK_LIMITS.sectionText) {
            problems.push(`block ${i}: context text over ${SLACK_LIMITS.sectionText}`);
          }
        }
        break;
      default:
        break;
    }
  });
  return problems;
}

/**
 * The pings and channel links a Slack message's mrkdwn would trigger (plain_text is never parsed, so
 * only mrkdwn texts and the fallback text are read), to prove user text cannot.
 */
export function slackSpecialSequences(message: SlackMessage): string[] {
  const texts: string[] = [message.text];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      const o = value as Record<string, unknown>;
      if (o.type === 'mrkdwn' && typeof o.text === 'string') texts.push(o.text);
      for (const v of Object.values(o)) visit(v);
    }
  };
  visit(message.blocks);
  return texts.flatMap((t) =>
    [...t.matchAll(/<(?:!(?:channel|here|everyone)|@[UW][A-Z0-9]+|#C[A-Z0-9]+)[^>]*>/g)].map((m) => m[0]),
  );
}

interface AdaptiveCardsModule {
  AdaptiveCard: new () => {
    parse(json: unknown, context: unknown): void;
    validateProperties(): { validationEvents: { message: string }[] };
  };
  SerializationContext: new (version: unknown) => { eventCount: number; getEventAt(i: number): { message: string } };
  Versions: Record<'v1_3' | 'v1_5', unknown>;
}

let adaptiveCards: AdaptiveCardsModule | undefined;

/** The `adaptivecards` UMD bundle: its ESM build does not load in Node (see platforms.md §6.1). */
function adaptiveCardsModule(): AdaptiveCardsModule {
  adaptiveCards ??= createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as AdaptiveCardsModule;
  return adaptiveCards;
}

/**
 * What is wrong with a card for Teams: its declared version, its size, and what Microsoft's own
 * renderer SDK reports when it parses the card as that version (it knows the version of every element
 * and property, so a 1.3 card that uses a 1.4 or 1.5 feature is reported).
 */
export function teamsProblems(card: AdaptiveCard, expected: TeamsCardVersion = TEAMS_CARD_VERSION): string[] {
  const problems: string[] = [];
  if (card.version !== expected) problems.push(`version ${card.version}, expected ${expected}`);
  const bytes = cardBytes(card);
  if (bytes > TEAMS_MAX_BYTES) problems.push(`${bytes} bytes (limit ${TEAMS_MAX_BYTES})`);
  const AC = adaptiveCardsModule();
  const context = new AC.SerializationContext(expected === '1.3' ? AC.Versions.v1_3 : AC.Versions.v1_5);
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, context);
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  for (const e of parsed.validateProperties().validationEvents) problems.push(`validate: ${e.message}`);
  return problems;
}
