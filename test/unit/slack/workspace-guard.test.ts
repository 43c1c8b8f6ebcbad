import { describe, expect, it } from 'vitest';
import { foreign } from '../../../src/slack/app.ts';

describe('workspace guard', () => {
  const ours = { team_id: 'T0OURS', enterprise: { id: 'E0OURS' } };

  it('with SLACK_TEAM_ID set: refuses another team and a delivery without a team id', () => {
    const slack = { teamId: 'T0OURS' };
    expect(foreign(ours, slack)).toBeNull();
    expect(foreign({ team: { id: 'T0OURS' } }, slack)).toBeNull();
    expect(foreign({ team_id: 'T0THEIRS' }, slack)).toEqual({ team: 'T0THEIRS' });
    expect(foreign({}, slack)).toEqual({ team: null });
  });

  it('with SLACK_ENTERPRISE_ID set: refuses another organisation or none', () => {
    const slack = { enterpriseId: 'E0OURS' };
    expect(foreign(ours, slack)).toBeNull();
    expect(foreign({ enterprise_id: 'E0OURS' }, slack)).toBeNull();
    expect(foreign({ team_id: 'T0OURS', enterprise: { id: 'E0THEIRS' } }, slack)).toEqual({
      enterprise: 'E0THEIRS',
    });
    expect(foreign({ team_id: 'T0OURS' }, slack)).toEqual({ enterprise: null });
  });

  it('with neither set: serves every delivery', () => {
    expect(foreign({}, {})).toBeNull();
  });
});
