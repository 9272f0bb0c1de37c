/**
 * How cards word each kind of agent–mechanism link. Every surface (Slack, Teams, text, the lists) takes
 * its wording from here, so "may overcome" is never said of a link the evidence does not support.
 */
import type { Level, LinkKind } from './schema.ts';

interface LinkWording {
  /** Section heading on a mechanism's card, above the agents. */
  onMechanism: string;
  /** Section heading on an agent's card, above the mechanisms. */
  onAgent: string;
  /** In running text: "<agent> may overcome (level B)". */
  phrase: string;
  /** A few words for compact lists (the mechanism map); empty for the plain case. */
  tag: string;
}

const WORDING: Record<LinkKind, LinkWording> = {
  overcomes: {
    onMechanism: 'May overcome it',
    onAgent: 'Resistance mechanisms it may overcome',
    phrase: 'may overcome',
    tag: '',
  },
  partner: {
    onMechanism: 'Used as the HER2-blockade partner of a combination against it',
    onAgent: 'Used as the HER2-blockade partner of a combination against',
    phrase: 'as a combination partner',
    tag: 'partner',
  },
  proposed: {
    onMechanism: 'Proposed on mechanistic grounds',
    onAgent: 'Proposed against, on mechanistic grounds',
    phrase: 'proposed on mechanistic grounds',
    tag: 'proposed',
  },
  'applies-while-her2-persists': {
    onMechanism: 'Used while HER2 persists (not shown to overcome HER2 loss)',
    onAgent: 'Used while HER2 persists (not shown to overcome HER2 loss)',
    phrase: 'used while HER2 persists',
    tag: 'while HER2 persists',
  },
  'does-not-overcome': {
    onMechanism: 'Does not overcome it',
    onAgent: 'Does not overcome',
    phrase: 'does not overcome',
    tag: 'does not overcome',
  },
  'not-expected': {
    onMechanism: 'Not expected to overcome it (inference only)',
    onAgent: 'Not expected to overcome (inference only)',
    phrase: 'not expected to overcome',
    tag: 'not expected',
  },
};

export function linkWording(kind: LinkKind): LinkWording {
  return WORDING[kind];
}

/** "may overcome (level B)", "proposed on mechanistic grounds (level E)". */
export function linkLabel(kind: LinkKind, level: Level): string {
  return `${WORDING[kind].phrase} (level ${level})`;
}
