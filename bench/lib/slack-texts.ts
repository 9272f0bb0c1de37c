/** The `/her2` texts both Slack benchmarks send: searches, subcommands, a no-match and a hostile one. */
export const MIXED_QUERIES = [
  'resistance pi3k',
  'T-DM1 vs lapatinib',
  'kadcyla',
  'p95',
  'neratinib evidence',
  'help',
  'mechanisms',
  'zebrafish tax return', // matches nothing
  '<!channel> <!here> <@U999> pi3k: ~ ^2 her2 - + "}]} *bold* `code`', // hostile: mentions, lunr syntax, JSON
];
