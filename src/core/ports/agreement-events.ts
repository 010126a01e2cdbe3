/** Tells the parties' nodes that an agreement changed, so they re-read it from the hub at once. */
import type { Agreement } from '../agreements/agreement';

export interface AgreementEvents {
  changed(agreement: Agreement): Promise<void>;
}

export const noAgreementEvents: AgreementEvents = { changed: async () => {} };
