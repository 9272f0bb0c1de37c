/**
 * `curatorNotes` are for whoever edits the knowledge base. Cards never read them; where an answer is
 * printed as JSON (`ask --format json`), this replacer leaves them out too.
 */
export function withoutCuratorNotes(key: string, value: unknown): unknown {
  return key === 'curatorNotes' ? undefined : value;
}
