import { describe, expect, it } from 'vitest';
import { toJob, toRequest } from '../../../src/store/sql-rows.ts';

const requestRow = (patch: Record<string, unknown> = {}) => ({
  id: 'r1',
  vendor: 'pam360',
  requester_id: 'U1',
  team_id: 'T1',
  payload: '{"operation":{"Details":{"USERNAME":"jdoe","ISAPIUSER":true}}}',
  payload_hash: 'h',
  status: 'PENDING',
  version: 1,
  created_at: 1_700_000_000_000,
  updated_at: '1700000000001',
  card_channel: null,
  card_ts: null,
  facts: '{"justification":"audit","form":{"USERNAME":"jdoe"}}',
  card_render: null,
  ...patch,
});

describe('rows parsed into domain objects', () => {
  it('parses a request: stored JSON as values, times as dates, either client’s integers', () => {
    const req = toRequest(requestRow());
    expect(req.payload).toEqual({ operation: { Details: { USERNAME: 'jdoe', ISAPIUSER: true } } });
    expect(req.facts).toEqual({ justification: 'audit', form: { USERNAME: 'jdoe' } });
    expect(req.updatedAt).toEqual(new Date(1_700_000_000_001));
    expect(req.card).toBeNull();
  });

  it('refuses stored JSON that does not parse, naming it', () => {
    expect(() => toRequest(requestRow({ payload: '{"operation":' }))).toThrow(/stored JSON does not parse/);
    expect(() => toJob({ payload: 'not json' })).toThrow(/stored JSON does not parse/);
  });

  it('refuses facts that are not an object', () => {
    for (const facts of ['[]', 'null', '"text"', '3'])
      expect(() => toRequest(requestRow({ facts }))).toThrow(/stored facts are not an object/);
  });
});
