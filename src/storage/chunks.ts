// Splits rows for MySQL's multi-row inserts, which it refuses past max_allowed_packet (4 MiB on
// older servers): a chunk stops at a row count or a character budget, whichever comes first.

export interface ChunkLimits {
  readonly maxRows: number;
  /** Sum of `sizeOf(row)` per chunk; a single row above it still gets a chunk of its own. */
  readonly maxSize: number;
}

export interface Chunk<T> {
  readonly rows: T[];
  /** The sum of `sizeOf(row)` over the chunk's rows. */
  readonly size: number;
}

export function chunkRows<T>(rows: readonly T[], limits: ChunkLimits, sizeOf: (row: T) => number): Chunk<T>[] {
  const chunks: Chunk<T>[] = [];
  let current: T[] = [];
  let size = 0;
  for (const row of rows) {
    const rowSize = sizeOf(row);
    if (current.length > 0 && (current.length >= limits.maxRows || size + rowSize > limits.maxSize)) {
      chunks.push({ rows: current, size });
      current = [];
      size = 0;
    }
    current.push(row);
    size += rowSize;
  }
  if (current.length > 0) chunks.push({ rows: current, size });
  return chunks;
}
