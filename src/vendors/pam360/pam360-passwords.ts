/**
 * A PAM360 normal user's initial password (`PASSWORD` in the create call), which never rests in the
 * stored payload (issue 8 §3): in `typed` mode the form's password is split off to be held sealed;
 * in `generate` mode the worker makes it. API users carry none: they sign in with their AUTHTOKEN.
 */
import type { Json } from '../../domain/request.ts';
import type { UserPasswords } from '../provisioner.ts';
import { plainJson } from '../user-passwords.ts';
import { type Pam360Payload, pam360PayloadSchema } from './pam360-schemas.ts';

function parse(payload: Json): Pam360Payload {
  return pam360PayloadSchema.parse(payload);
}

export function pam360Passwords(mode: 'generate' | 'typed'): UserPasswords {
  return {
    mode,
    split(payload) {
      const { operation, passwords: handling } = parse(payload);
      const { PASSWORD, ...details } = operation.Details;
      // No handling recorded: an API user, whose payload has no password to hold apart.
      if (handling === undefined) return { payload, passwords: {} };
      return {
        payload: plainJson({ operation: { Details: details }, passwords: handling }),
        passwords: PASSWORD === undefined ? {} : { [details.USERNAME]: PASSWORD },
      };
    },
    users(payload) {
      const { operation, passwords } = parse(payload);
      return passwords === undefined ? [] : [operation.Details.USERNAME];
    },
    join(payload, passwords) {
      const { operation, passwords: handling } = parse(payload);
      if (handling === undefined) return payload;
      const { USERNAME } = operation.Details;
      return plainJson({ operation: { Details: { ...operation.Details, PASSWORD: passwords[USERNAME] } } });
    },
  };
}
