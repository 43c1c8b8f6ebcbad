import { describe, expect, it } from 'vitest';
import { POSTGRES_MIGRATIONS } from '../../../src/store/postgres/postgres-migrations.ts';
import { SQLITE_MIGRATIONS } from '../../../src/store/sqlite/sqlite-migrations.ts';

describe('migrations', () => {
  it('are numbered, in order, and the same list on both dialects', () => {
    const ids = SQLITE_MIGRATIONS.map((m) => m.id);
    expect(ids.length).toBeGreaterThan(0);
    ids.forEach((id, i) => {
      expect(id).toMatch(new RegExp(`^${String(i + 1).padStart(4, '0')}_[a-z0-9_]+$`));
    });
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
