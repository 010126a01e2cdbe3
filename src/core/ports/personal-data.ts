/**
 * How a node keeps people's ID numbers, names and addresses at rest under the 国密 suite: sealed (encrypted
 * and authenticated), and found through a keyed blind index, never stored in clear. The composition root
 * chooses the implementation and where its keys come from (a key file today; an HSM/SDF module later).
 */
export interface PersonalDataSealer {
  /**
   * The deterministic keyed index of `value` in `context` (a resource's column): what the table stores and
   * is searched by in place of the value. Another context gives another index, so tables cannot be joined
   * on it without the key.
   */
  index(context: string, value: string): string;
  /** Encrypts and authenticates `plaintext`, bound to `context` (a resource). */
  seal(context: string, plaintext: string): string;
  /** The plaintext of a sealed value; throws when it was changed or belongs to another context. */
  open(context: string, sealed: string): string;
}
