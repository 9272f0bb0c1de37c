/** Building LiteratureItems whose optional fields are absent, not `undefined` or empty, when a record lacks them. */

/** `{ [key]: value }`, or `{}` when the value is missing or an empty string. */
export function optional<K extends string, V>(key: K, value: V | undefined | ''): { [P in K]?: V } {
  return (value === undefined || value === '' ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Values in first-seen order without repeats or empty strings; `undefined` for an empty list. */
export function uniqueOrUndefined(values: readonly string[]): string[] | undefined {
  const out = [...new Set(values.filter((v) => v.length > 0))];
  return out.length > 0 ? out : undefined;
}
