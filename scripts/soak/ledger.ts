/**
 * Counts, per user name, the create calls PJM and PAM360 actually processed, by wrapping the
 * simulators' own create methods. A processed create for a user who already exists is a duplicate
 * create: with the pre-check rule it must never happen. (The Certification sim refuses a second
 * user of the same name by itself; its users are counted from its own list.)
 */
import { z } from 'zod';
import type { World } from './world.ts';

const pamInput = z.object({ operation: z.object({ Details: z.object({ USERNAME: z.string() }) }) });
const pjmInput = z.object({ username: z.string() });

export class CreateLedger {
  /** `vendor:username` → processed create calls. */
  readonly processed = new Map<string, number>();
  /** Processed create calls for a user the vendor already had. */
  readonly duplicates: string[] = [];

  constructor(w: World) {
    const pam = w.pam360.store;
    const create = pam.create.bind(pam);
    pam.create = (input, roles) => {
      const name = pamInput.safeParse(input);
      if (name.success)
        this.#count(
          'pam360',
          name.data.operation.Details.USERNAME,
          !!pam.find(name.data.operation.Details.USERNAME),
        );
      return create(input, roles);
    };
    const pjm = w.pjm.store;
    const register = pjm.register.bind(pjm);
    pjm.register = (raw) => {
      const name = pjmInput.safeParse(raw);
      if (name.success)
        this.#count('pjm', name.data.username, pjm.users.has(name.data.username.toLowerCase()));
      return register(raw);
    };
  }

  #count(vendor: string, username: string, existed: boolean): void {
    const key = `${vendor}:${username.toLowerCase()}`;
    this.processed.set(key, (this.processed.get(key) ?? 0) + 1);
    if (existed) this.duplicates.push(key);
  }
}
