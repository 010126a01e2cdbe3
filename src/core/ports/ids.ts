/** Identifiers and secrets come from the edge (randomness is I/O). */
export interface IdGenerator {
  agreementId(appliedAt: Date): string;
  eventId(): string;
  keyId(): string;
  secretToken(): string;
}
