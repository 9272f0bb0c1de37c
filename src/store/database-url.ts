/**
 * DATABASE_URL, checked and printed without its password: the setting that selects PostgreSQL. Kept
 * apart from the engine so the configuration can check it without loading the driver.
 */

/** A `postgres://` or `postgresql://` URL selects PostgreSQL; anything else is a SQLite file path. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** The URL as it may be logged or printed: the password replaced by `***`. */
export function redactUrl(url: string): string {
  const parsed = URL.parse(url);
  if (!parsed) return '(not a URL)';
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** What is wrong with a DATABASE_URL, in one sentence that never repeats its password; undefined if usable. */
export function databaseUrlProblem(url: string): string | undefined {
  const example = 'e.g. postgres://her2bot:PASSWORD@db.example.org:5432/her2bot';
  if (!isPostgresUrl(url)) {
    return `DATABASE_URL must be a postgres:// or postgresql:// URL (${example}); for SQLite unset it and use DATABASE_PATH`;
  }
  const parsed = URL.parse(url);
  if (!parsed)
    return `DATABASE_URL is not a valid URL (${example}); check for unescaped characters such as @ or / in the password`;
  if (!parsed.hostname) return `DATABASE_URL=${redactUrl(url)} names no host (${example})`;
  if (parsed.pathname.length <= 1) return `DATABASE_URL=${redactUrl(url)} names no database (${example})`;
  return undefined;
}
