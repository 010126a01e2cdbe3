/** Signed node-to-node calls: signs the request as this node, sends it, and verifies the provider's answer. */
import { randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { exchangeHeaders, type HttpRequestParts, SignatureError, signRequest, verifyResponse } from './http-signatures';

export interface PeerRequest {
  providerUrl: string;
  mode: string;
  agreementId: string;
  purpose: string;
  officer: string;
  caseId: string;
  payload: unknown;
}

export interface PeerResponse {
  status: number;
  body: unknown;
  requestId: string;
  /** The provider's key that signed the answer, once verified. */
  signedBy: string;
}

export class PeerTransportError extends Error {
  constructor(
    readonly code: 'PROVIDER_UNREACHABLE' | 'RESPONSE_UNVERIFIED',
    message: string,
  ) {
    super(message);
  }
}

export interface PeerClientOptions {
  keyId: string;
  privateKey: KeyObject;
  now(): Date;
  windowSeconds: number;
  timeoutMs: number;
  /** The provider's public keys by key id, for verifying its answers. */
  lookupProviderKey(keyId: string): Promise<KeyObject | undefined>;
}

export class PeerClient {
  constructor(private readonly options: PeerClientOptions) {}

  async call(request: PeerRequest): Promise<PeerResponse> {
    const requestId = randomUUID();
    const target = `/peer/v1/${request.mode}`;
    const body = Buffer.from(JSON.stringify(request.payload));
    const parts: HttpRequestParts = {
      method: 'POST',
      target,
      headers: {
        'content-type': 'application/json',
        [exchangeHeaders.agreement]: request.agreementId,
        // Header values must be ASCII; purposes are Chinese, so they travel percent-encoded.
        [exchangeHeaders.purpose]: encodeURIComponent(request.purpose),
        [exchangeHeaders.officer]: encodeURIComponent(request.officer),
        [exchangeHeaders.caseId]: encodeURIComponent(request.caseId),
        [exchangeHeaders.requestId]: requestId,
      },
      body,
    };
    const headers = signRequest(parts, {
      key: { keyId: this.options.keyId, privateKey: this.options.privateKey },
      created: this.options.now(),
      nonce: randomUUID(),
      tag: 'hutong-request',
    });
    let response: Response;
    try {
      response = await fetch(new URL(target, request.providerUrl), {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      throw new PeerTransportError('PROVIDER_UNREACHABLE', `${request.providerUrl}: ${(error as Error).message}`);
    }
    const responseBody = Buffer.from(await response.arrayBuffer());
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      responseHeaders[name] = value;
    });
    const keyId = /keyid="([^"]+)"/.exec(responseHeaders['signature-input'] ?? '')?.[1];
    const key = keyId ? await this.options.lookupProviderKey(keyId) : undefined;
    try {
      const verified = verifyResponse(
        { status: response.status, headers: responseHeaders, body: responseBody },
        { ...parts, headers },
        { now: this.options.now(), windowSeconds: this.options.windowSeconds, lookupKey: () => key },
      );
      return {
        status: response.status,
        body: JSON.parse(responseBody.toString('utf8')),
        requestId,
        signedBy: verified.keyId,
      };
    } catch (error) {
      if (error instanceof SignatureError || error instanceof SyntaxError) {
        throw new PeerTransportError('RESPONSE_UNVERIFIED', `answer from ${request.providerUrl}: ${error.message}`);
      }
      throw error;
    }
  }
}
