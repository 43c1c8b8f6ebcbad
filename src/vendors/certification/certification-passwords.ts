/**
 * Certification users' initial passwords, which never rest in the stored payload (issue 8 §3): in
 * `typed` mode the form's passwords are split off to be held sealed; in `generate` mode the worker
 * makes them. Either way they are joined back only into the create call's payload.
 */
import type { Json } from '../../domain/request.ts';
import type { UserPasswords } from '../provisioner.ts';
import { handlingOf, plainJson } from '../user-passwords.ts';
import { type CertPayload, certPayloadSchema } from './certification-schemas.ts';

function parse(payload: Json): CertPayload {
  return certPayloadSchema.parse(payload);
}

export function certPasswords(mode: 'generate' | 'typed'): UserPasswords {
  return {
    mode,
    split(payload) {
      const { users } = parse(payload);
      const passwords: Record<string, string> = {};
      const kept = users.map(({ password, ...user }) => {
        if (password !== undefined) passwords[user.userName] = password;
        return user;
      });
      return {
        payload: plainJson({ users: kept, passwords: handlingOf(mode) }),
        passwords,
      };
    },
    users(payload) {
      const { users, passwords } = parse(payload);
      // A payload from before passwords were held apart still carries them: nothing to add.
      return passwords === undefined ? [] : users.map((u) => u.userName);
    },
    join(payload, passwords) {
      const { users, passwords: handling } = parse(payload);
      if (handling === undefined) return payload;
      return plainJson({ users: users.map((u) => ({ ...u, password: passwords[u.userName] })) });
    },
  };
}
