/** Pieces every route module shares: the security requirements of the OpenAPI document, reading a raw JSON body. */
import type { z } from 'zod';
import { HutongError } from '../../../core/errors';
import type { NodeKey } from '../../../core/members/member';
import type { MessageVerifier } from '../../../core/ports/message-signature';

export { bearerSecurity } from '../../../platform/http/auth';

/** Routes only a member's node may call, by a request signed with its key (never a bearer token). */
export const nodeSignatureSecurity = [{ nodeSignature: [] }];

/** How the hub checks a node's signed calls (shipping records, changing keys). */
export interface NodeSignatureOptions {
  /** Accepted distance of a signature's `created` from now, in seconds. */
  windowSeconds: number;
  now(): Date;
  /** Checks signatures by a member's registered node key, in the key's algorithm (Ed25519 or SM2). */
  verifierFor(key: NodeKey): MessageVerifier;
}

/**
 * A JSON body kept raw (its bytes are signed) read against `schema`: MALFORMED_JSON when it is not JSON,
 * VALIDATION_FAILED with the fields at fault (under `pathPrefix`) when it does not fit.
 */
export function parseRawJson<T>(body: Buffer, schema: z.ZodType<T>, detail: string, pathPrefix = ''): T {
  let input: unknown;
  try {
    input = JSON.parse(body.toString('utf8'));
  } catch {
    throw new HutongError('MALFORMED_JSON');
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new HutongError(
      'VALIDATION_FAILED',
      detail,
      parsed.error.issues
        .slice(0, 20)
        .map((issue) => ({ path: `${pathPrefix}${issue.path.join('.')}`, message: issue.message })),
    );
  }
  return parsed.data;
}
