/**
 * Slack modals for feedback: "Wrong tags" (the item's tags to remove, the knowledge base's tags to
 * add, as multi-selects) and "Report a problem" (a short text). `private_metadata` carries where the
 * press came from, so the acknowledgement reaches the same person in the same channel.
 */
import type { ModalView } from '@slack/types';
import type { TagPicker } from '../feedback/desk.ts';
import { MAX_REPORT_LENGTH } from '../store/feedback.ts';
import { truncate } from './format.ts';

export const WRONG_TAGS_VIEW = 'her2fb_wrong_tags';
export const REPORT_VIEW = 'her2fb_report';
/** Slack's limit on options in a static select. */
const MAX_OPTIONS = 100;

const plain = (text: string, max = 75) => ({ type: 'plain_text' as const, text: truncate(text, max), emoji: false });

export function wrongTagsModal(picker: TagPicker, metadata: string): ModalView {
  const options = (tags: TagPicker['all']) =>
    tags.slice(0, MAX_OPTIONS).map((t) => ({ text: plain(t.name), value: t.id }));
  const blocks: ModalView['blocks'] = [
    { type: 'section', text: { type: 'mrkdwn', text: `*${truncate(picker.title, 2900)}*`, verbatim: true } },
  ];
  if (picker.shown.length > 0) {
    blocks.push({
      type: 'input',
      block_id: 'remove',
      optional: true,
      label: plain('Tags to remove'),
      element: { type: 'multi_static_select', action_id: 'tags', options: options(picker.shown) },
    });
  }
  blocks.push({
    type: 'input',
    block_id: 'add',
    optional: true,
    label: plain('Tags to add'),
    element: { type: 'multi_static_select', action_id: 'tags', options: options(picker.all) },
  });
  return {
    type: 'modal',
    callback_id: WRONG_TAGS_VIEW,
    private_metadata: metadata,
    title: plain('Wrong tags', 24),
    submit: plain('Send', 24),
    close: plain('Cancel', 24),
    blocks,
  };
}

export function reportModal(title: string, metadata: string): ModalView {
  return {
    type: 'modal',
    callback_id: REPORT_VIEW,
    private_metadata: metadata,
    title: plain('Report a problem', 24),
    submit: plain('Send', 24),
    close: plain('Cancel', 24),
    blocks: [
      { type: 'context', elements: [{ type: 'plain_text', text: truncate(`About: ${title}`, 2000), emoji: false }] },
      {
        type: 'input',
        block_id: 'report',
        label: plain('What is wrong or missing?'),
        element: { type: 'plain_text_input', action_id: 'text', multiline: true, max_length: MAX_REPORT_LENGTH },
      },
    ],
  };
}
