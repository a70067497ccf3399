// Driver errors stop here (STYLE habit 11): adapters turn the expected ones (a duplicate key)
// into return values and wrap the rest in StorageError, so nothing above storage ever matches
// a mysql2 or SQLite error code.

/** A storage operation failed; `cause` holds the driver's error for the logs. */
export class StorageError extends Error {
  override readonly name = 'StorageError';

  constructor(
    readonly operation: string,
    cause: unknown,
  ) {
    super(`storage: ${operation} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

function codeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

const UNIQUE_VIOLATIONS: ReadonlySet<unknown> = new Set([
  'ER_DUP_ENTRY',
  'SQLITE_CONSTRAINT_UNIQUE',
  'SQLITE_CONSTRAINT_PRIMARYKEY',
]);

export function isUniqueViolation(error: unknown): boolean {
  return UNIQUE_VIOLATIONS.has(codeOf(error));
}

// InnoDB breaks a lock cycle (say two nodes committing journal batches with overlapping keys)
// by rolling one transaction back whole, so running the operation again is safe.
function isDeadlock(error: unknown): boolean {
  return codeOf(error) === 'ER_LOCK_DEADLOCK';
}

/** Runs one storage operation, translating whatever the driver throws. */
export async function guard<T>(operation: string, run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run();
    } catch (error) {
      if (isDeadlock(error) && attempt < 3) continue;
      throw new StorageError(operation, error);
    }
  }
}
