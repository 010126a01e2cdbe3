/** Password hashing (scrypt at the edge). */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, encoded: string): Promise<boolean>;
}

/** One-way digest of bearer tokens so that a stolen database does not yield usable tokens. */
export interface TokenDigester {
  digest(token: string): string;
}
