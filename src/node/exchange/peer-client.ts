/** Signed node-to-node calls: signs the request as this node, sends it, and verifies the provider's answer. */
import { randomUUID } from 'node:crypto';
import type { MessageSigner, MessageVerifier } from '../../core/ports/message-signature';
import { Agent, request as httpRequest } from 'undici';
import { exchangeHeaders, type HttpRequestParts, SignatureError, signRequest, verifyResponse } from './http-signatures';

export interface PeerRequest {
  providerUrl: string;
  mode: string;
  agreementId: string;
  purpose: string;
  officer: string;
  caseId: string;
  /** Disclosure date of a covert request (allow-listed agencies only; the provider node decides). */
  covertUntil?: string | undefined;
  payload: unknown;
}

export interface PeerResponse {
  status: number;
  /** The provider's answer as signed, passed on byte for byte (parse it only if you need it). */
  raw: Buffer;
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
  /** The node's key; its `keyId` is read at each call (known once the hub has registered it). */
  signer: MessageSigner;
  now(): Date;
  windowSeconds: number;
  timeoutMs: number;
  /** The provider's public keys by key id, for verifying its answers. */
  lookupProviderKey(keyId: string): Promise<MessageVerifier | undefined>;
  /** The city's CA certificates (PEM): the only roots a peer's TLS certificate is checked against. */
  ca?: readonly (string | Buffer)[] | undefined;
}

export class PeerClient {
  // Many concurrent calls to one provider must not queue behind a handful of sockets.
  private readonly dispatcher: Agent;

  constructor(private readonly options: PeerClientOptions) {
    this.dispatcher = new Agent({
      connections: 256,
      keepAliveTimeout: 30_000,
      // Peers are verified against the city's CA alone when one is given (nodes served over TLS).
      ...(options.ca ? { connect: { ca: [...options.ca] } } : {}),
    });
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

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
        ...(request.covertUntil ? { [exchangeHeaders.covertUntil]: request.covertUntil } : {}),
      },
      body,
    };
    const headers = signRequest(parts, {
      key: this.options.signer,
      created: this.options.now(),
      nonce: randomUUID(),
      tag: 'hutong-request',
    });
    let status: number;
    let responseBody: Buffer;
    const responseHeaders: Record<string, string> = {};
    try {
      const response = await httpRequest(new URL(target, request.providerUrl), {
        method: 'POST',
        headers,
        body,
        dispatcher: this.dispatcher,
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
      });
      status = response.statusCode;
      responseBody = Buffer.from(await response.body.arrayBuffer());
      for (const [name, value] of Object.entries(response.headers)) {
        if (value !== undefined) responseHeaders[name] = Array.isArray(value) ? value.join(', ') : String(value);
      }
    } catch (error) {
      throw new PeerTransportError('PROVIDER_UNREACHABLE', `${request.providerUrl}: ${(error as Error).message}`);
    }
    const keyId = /keyid="([^"]+)"/.exec(responseHeaders['signature-input'] ?? '')?.[1];
    const key = keyId ? await this.options.lookupProviderKey(keyId) : undefined;
    try {
      const verified = verifyResponse(
        { status, headers: responseHeaders, body: responseBody },
        { ...parts, headers },
        { now: this.options.now(), windowSeconds: this.options.windowSeconds, lookupKey: () => key },
      );
      return {
        status,
        raw: responseBody,
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
