/** Link unfurling in Teams (`composeExtension/queryLink`) for PubMed, DOI and ClinicalTrials.gov links. */
import { type AppBasedLinkQuery, CardFactory, type MessagingExtensionResponse } from 'botbuilder';
import type { InteractionRecord } from '../../../src/interaction.ts';
import type { TeamsDeps } from '../deps.ts';
import { composeCard } from './compose-card.ts';

export function onLinkQuery(
  query: AppBasedLinkQuery,
  { core }: TeamsDeps,
  record?: InteractionRecord,
): MessagingExtensionResponse {
  const answer = query.url ? core.unfurl(query.url) : undefined;
  record?.answered(answer?.type === 'evidence' ? 'evidence' : 'not cited');
  if (answer?.type !== 'evidence')
    return { composeExtension: { type: 'result', attachmentLayout: 'list', attachments: [] } };
  const card = composeCard(core, answer);
  const preview = CardFactory.thumbnailCard(answer.evidence.name, answer.evidence.title);
  return {
    composeExtension: {
      type: 'result',
      attachmentLayout: 'list',
      attachments: [{ ...CardFactory.adaptiveCard(card), preview }],
    },
  };
}
