/**
 * The error a bad configuration raises, in a module of its own: the CLI recognises it for every
 * command, and `ask` must not load the configuration's schema (zod) and dotenv to do so.
 */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}
