import { hash, verify, type Algorithm } from '@node-rs/argon2';

/** `Algorithm.Argon2id`: the package declares an ambient const enum, which isolatedModules cannot inline. */
const ARGON2ID = 2 as Algorithm;

/** argon2id with the library's defaults (19 MiB, t=2, p=1: the OWASP baseline), as a PHC string. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID });
}

/** Parameters come from the PHC string itself, so older hashes keep verifying after defaults change. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    // A malformed stored hash is a failed login, not a 500 that tells the caller the account exists.
    return false;
  }
}

/**
 * A fixed argon2id hash verified when the email is unknown, so an unknown email costs the same time as
 * a wrong password and response times do not reveal which accounts exist.
 */
let dummy: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummy ??= hashPassword('rapport-timing-equaliser');
  await verifyPassword(await dummy, password);
}
