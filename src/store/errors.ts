/**
 * The store's one error class. The code tells the caller what to do: `invalid_argument` is a bug or bad
 * user input to report, `not_found` a stale id, and the two schema codes mean this build must not touch
 * the database (a newer bot migrated it, or its history differs from ours) and should stop at startup;
 * `unusable`: DATABASE_PATH cannot be used (unwritable, corrupt), the message says why and what to do.
 */
export type StoreErrorCode = 'invalid_argument' | 'not_found' | 'schema_too_new' | 'schema_mismatch' | 'unusable';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}

export function invalid(message: string): StoreError {
  return new StoreError('invalid_argument', message);
}
