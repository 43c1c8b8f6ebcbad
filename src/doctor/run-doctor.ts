/**
 * `npm run doctor`: every check against the real systems, Slack first, then each enabled vendor.
 * Nothing is changed anywhere; every result names the setting to fix. Secrets are only sent, never
 * shown: results carry Slack's and the vendors' own words, which never echo a credential.
 */
import type { Config } from '../config/schema.ts';
import type { CheckResult } from '../domain/check-result.ts';
import type { Clock } from '../domain/clock.ts';
import type { Logger } from '../observability/logger.ts';
import { buildVendors } from '../vendors/registry.ts';
import { manifestBotScopes } from './manifest-scopes.ts';
import { slackChecks } from './slack-checks.ts';

export interface DoctorDeps {
  log: Logger;
  clock: Clock;
  /** Bot scopes manifest.yml asks for (read from the file by default). */
  manifestScopes?: readonly string[];
}

export async function runDoctor(config: Config, deps: DoctorDeps): Promise<CheckResult[]> {
  const vendors = buildVendors(config.vendors, deps);
  try {
    const targets = [...vendors].map(([key, v]) => ({
      key,
      displayName: v.provisioner.displayName,
      approvalChannel: v.approvalChannel,
      approvers: v.policy.approvers,
      approverGroups: v.policy.approverGroups,
    }));
    const results = await slackChecks(config.slack, targets, deps.manifestScopes ?? manifestBotScopes());
    for (const v of vendors.values()) results.push(...(await v.provisioner.checkConnection()));
    return results;
  } finally {
    for (const v of vendors.values()) await v.provisioner.close();
  }
}
