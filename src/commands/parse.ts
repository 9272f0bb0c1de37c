/**
 * What a user typed, as a command. The same words work after `/her2`, after an @-mention and in the
 * CLI's `ask`: a known first word is a subcommand, anything else is a search (never an error).
 */
export type ListKind = 'mechanisms' | 'agents' | 'trials';

export type Command =
  | { type: 'help' }
  | { type: 'list'; what: ListKind; page: number }
  | { type: 'digest'; args: string[] }
  /** What the newest knowledge-base release added, changed and corrected. */
  | { type: 'whats-new' }
  | { type: 'search'; query: string };

const LIST_WORDS: Record<string, ListKind> = {
  mechanisms: 'mechanisms',
  agents: 'agents',
  drugs: 'agents',
  trials: 'trials',
};

/** "what's new", "whats new?", "what is new", "changes", "changelog" (the whole text, any case). */
const WHATS_NEW = /^(what(['’]?s| is) new( in the (kb|knowledge base))?\??|changes|changelog)$/i;

export function parseCommand(text: string): Command {
  const trimmed = text.replace(/[\p{Cc}\p{Cf}]+/gu, ' ').trim();
  if (trimmed === '' || /^(help|\?|-h|--help)$/i.test(trimmed)) return { type: 'help' };
  if (WHATS_NEW.test(trimmed)) return { type: 'whats-new' };
  const [first = '', ...rest] = trimmed.split(/\s+/);
  const word = first.toLowerCase();
  const list = LIST_WORDS[word];
  if (list && rest.length === 0) return { type: 'list', what: list, page: 1 };
  if (word === 'digest') return { type: 'digest', args: rest };
  return { type: 'search', query: trimmed };
}
