import { describe, expect, it } from 'vitest';
import { chunkRows } from '../../src/storage/chunks.js';

const size = (row: number) => row;
const rowsOf = <T>(chunks: readonly { rows: T[] }[]) => chunks.map((c) => c.rows);

describe('chunkRows', () => {
  it('when there are no rows, then there are no chunks', () => {
    expect(rowsOf(chunkRows([], { maxRows: 2, maxSize: 10 }, size))).toEqual([]);
  });

  it('when the row count is reached, then a new chunk starts', () => {
    expect(rowsOf(chunkRows([1, 1, 1, 1, 1], { maxRows: 2, maxSize: 100 }, size))).toEqual([[1, 1], [1, 1], [1]]);
  });

  it('when the next row would pass the size budget, then a new chunk starts', () => {
    expect(chunkRows([4, 4, 3, 5], { maxRows: 100, maxSize: 10 }, size)).toEqual([
      { rows: [4, 4], size: 8 },
      { rows: [3, 5], size: 8 },
    ]);
  });

  it('when one row alone is over the budget, then it gets a chunk of its own', () => {
    expect(rowsOf(chunkRows([1, 50, 1], { maxRows: 100, maxSize: 10 }, size))).toEqual([[1], [50], [1]]);
  });
});
