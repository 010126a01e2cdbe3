/** Tells both parties' nodes that an agreement changed; best effort, bounded in time (they also poll). */
import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import type { Agreement } from '../../core/agreements/agreement';
import type { AgreementEvents } from '../../core/ports/agreement-events';
import type { HubStore } from '../../core/ports/hub-store';

export function httpAgreementNotifier(
  store: HubStore,
  logger: Logger,
  timeoutMs = 2000,
  /** How connections to nodes are made (trusting only the city's CA, for nodes served over TLS). */
  dispatcher?: Dispatcher,
): AgreementEvents {
  return {
    async changed(agreement: Agreement) {
      const codes = [agreement.providerCode, agreement.consumerCode];
      await Promise.all(
        codes.map(async (code) => {
          const url = (await store.getMember(code))?.nodeUrl;
          if (!url) return;
          try {
            await fetch(new URL('/peer/v1/agreement-changed', url), {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ agreementId: agreement.id }),
              signal: AbortSignal.timeout(timeoutMs),
              ...(dispatcher ? { dispatcher } : {}),
            } as RequestInit);
          } catch (error) {
            logger.warn(
              { member: code, agreementId: agreement.id, err: (error as Error).message },
              'node not notified',
            );
          }
        }),
      );
    },
  };
}
