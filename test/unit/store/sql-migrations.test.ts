import { describe, expect, it } from 'vitest';
import { POSTGRES_MIGRATIONS } from '../../../src/store/postgres/postgres-migrations.ts';
import { SQLITE_MIGRATIONS } from '../../../src/store/sqlite/sqlite-migrations.ts';

describe('migrations', () => {
  // Numbers are reserved per branch while work runs in parallel, so a merged list may skip one.
  it('are numbered, in increasing order, and the same list on both dialects', () => {
    const ids = SQLITE_MIGRATIONS.map((m) => m.id);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(id).toMatch(/^\d{4}_[a-z0-9_]+$/);
    const numbers = ids.map((id) => Number(id.slice(0, 4)));
    expect(numbers[0]).toBe(1);
    for (const [i, n] of numbers.entries()) if (i > 0) expect(n).toBeGreaterThan(numbers[i - 1]!);
    expect(POSTGRES_MIGRATIONS.map((m) => m.id)).toEqual(ids);
  });

  it('create the same tables on both dialects', () => {
    const tables = (statements: readonly string[]) =>
      statements.flatMap((s) => [...s.matchAll(/CREATE TABLE (\w+)/g)].map((m) => m[1])).sort();
    expect(tables(POSTGRES_MIGRATIONS.flatMap((m) => m.statements))).toEqual(
      tables(SQLITE_MIGRATIONS.flatMap((m) => m.statements)),
    );
  });
});
