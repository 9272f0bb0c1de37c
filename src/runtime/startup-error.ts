/** A start-up problem whose message names the setting and the fix; printed as one line, no stack. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}
