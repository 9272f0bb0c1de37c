/**
 * The compose-box search (message extension of type `query`): results from the same search, each a
 * preview plus the full Adaptive Card to drop into the conversation. Answered in the HTTP response,
 * well inside Teams' 5-second budget. An empty query lists the mechanisms.
 */
import { CardFactory, type MessagingExtensionQuery, type MessagingExtensionResponse } from 'botbuilder';
import { answerForEntity } from '../../../src/answer/answer.ts';
import type { InteractionRecord } from '../../../src/interaction.ts';
import type { Hit } from '../../../src/search/search.ts';
import type { TeamsDeps } from '../deps.ts';
import { composeCard } from './compose-card.ts';

export const SEARCH_COMMAND_ID = 'searchKnowledge';
const MAX_RESULTS = 10;

export function onSearch(
  query: MessagingExtensionQuery,
  { core }: TeamsDeps,
  record?: InteractionRecord,
): MessagingExtensionResponse {
  const text = searchText(query);
  record?.words(text);
  const hits: Hit[] = text
    ? core.search(text).hits.slice(0, MAX_RESULTS)
    : core.kb.mechanisms.map((m) => ({ id: m.id, kind: 'mechanism', title: m.shortName, score: 0 }));
  const attachments = hits.flatMap((hit) => {
    const answer = answerForEntity(core.kb, hit.id, text);
    if (!answer) return [];
    const card = composeCard(core, answer);
    return [{ ...CardFactory.adaptiveCard(card), preview: CardFactory.thumbnailCard(hit.title, kindLabel(hit.kind)) }];
  });
  record?.answered(attachments.length > 0 ? 'results' : 'no results');
  return { composeExtension: { type: 'result', attachmentLayout: 'list', attachments } };
}

/**
 * The search words: the `query` parameter, or the only parameter when it has another name or none
 * (clients that send a parameter without its name).
 */
function searchText(query: MessagingExtensionQuery): string {
  const parameters = query.parameters ?? [];
  const parameter = parameters.find((p) => p.name === 'query') ?? (parameters.length === 1 ? parameters[0] : undefined);
  return String(parameter?.value ?? '').trim();
}

function kindLabel(kind: string): string {
  return kind === 'evidence'
    ? 'Trial or study'
    : kind === 'agent'
      ? 'Agent'
      : kind === 'mechanism'
        ? 'Resistance mechanism'
        : 'The review';
}
