/**
 * Coded failures of the audit-ledger core. Callers and tests branch on `code`, never on the message,
 * because messages may change and may echo attacker-supplied input.
 */
export type LedgerErrorCode =
  | 'BAD_NUMBER'
  | 'BAD_BASE64'
  | 'BAD_HASH_LENGTH'
  | 'INDEX_OUT_OF_RANGE'
  | 'BAD_RANGE'
  | 'BAD_SUBTREE'
  | 'PROOF_WRONG_LENGTH'
  | 'ROOT_MISMATCH'
  | 'BAD_HASH_READER'
  | 'BAD_NOTE'
  | 'BAD_KEY_NAME'
  | 'UNKNOWN_KEY'
  | 'BAD_SIGNATURE'
  | 'NO_VERIFIED_SIGNATURE'
  | 'BAD_VKEY'
  | 'BAD_SKEY'
  | 'BAD_CHECKPOINT'
  | 'BAD_COSIGNATURE'
  | 'BAD_TILE_PATH'
  | 'BAD_TILE'
  | 'BAD_ENTRY_BUNDLE'
  | 'BAD_PROOF_FILE'
  | 'BAD_POLICY'
  | 'QUORUM_NOT_MET'
  | 'BAD_WITNESS_REQUEST'
  | 'INCONSISTENT';

export class LedgerError extends Error {
  override readonly name = 'LedgerError';

  constructor(
    readonly code: LedgerErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function fail(code: LedgerErrorCode, message: string): never {
  throw new LedgerError(code, message);
}

export function isLedgerError(e: unknown, code?: LedgerErrorCode): e is LedgerError {
  return e instanceof LedgerError && (code === undefined || e.code === code);
}
