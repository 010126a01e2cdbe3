/**
 * Our RFC 9421 implementation against an independent one (the `http-message-signatures` package): each
 * verifies what the other signs. Then every refusal gets its own code.
 */
import { generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { httpbis } from 'http-message-signatures';
import { describe, expect, it } from 'vitest';
import { thrownCode } from '../../core/thrown-code.test-helper';
import {
  contentDigest,
  ed25519MessageSigner,
  ed25519MessageVerifier,
  type HttpRequestParts,
  NonceCache,
  requestComponents,
  SignatureError,
  signRequest,
  signResponse,
  verifyRequest,
  verifyResponse,
} from './http-signatures';

const consumer = generateKeyPairSync('ed25519');
const provider = generateKeyPairSync('ed25519');
const stranger = generateKeyPairSync('ed25519');
const keys = new Map([
  ['zhengwu#k1', consumer.publicKey],
  ['gongan#k1', provider.publicKey],
]);
const now = new Date('2026-11-27T02:00:00Z');

function baseRequest(): HttpRequestParts {
  return {
    method: 'POST',
    target: '/peer/v1/verify?trace=1',
    headers: {
      'content-type': 'application/json',
      'hutong-agreement': 'GX-20261127-ABCDEF',
      'hutong-purpose': encodeURIComponent('老年人优待证办理'),
      'hutong-officer': 'zhengwu.clerk01',
      'hutong-case': 'CASE-0001',
      'hutong-request-id': 'req-1',
    },
    body: Buffer.from(JSON.stringify({ subject: '11010519491231002X', predicate: { op: 'eq' } })),
  };
}

function signed(
  request = baseRequest(),
  options: { key?: typeof consumer.privateKey; keyId?: string; created?: Date; nonce?: string } = {},
) {
  const headers = signRequest(request, {
    key: ed25519MessageSigner(options.keyId ?? 'zhengwu#k1', options.key ?? consumer.privateKey),
    created: options.created ?? now,
    nonce: options.nonce ?? 'n-1',
    tag: 'hutong-request',
  });
  return { ...request, headers };
}

function verifyOptions(nonces = new NonceCache()) {
  return {
    now,
    windowSeconds: 300,
    lookupKey: (id: string) => {
      const key = keys.get(id);
      return key ? ed25519MessageVerifier(key) : undefined;
    },
    rememberNonce: (id: string, nonce: string, expiresAt: Date) => nonces.remember(id, nonce, expiresAt, now),
  };
}

const codeOf = (run: () => unknown) => thrownCode(SignatureError, run, 'OK');

describe('interoperability with an independent RFC 9421 implementation', () => {
  it('our request signatures verify with http-message-signatures', async () => {
    const request = signed();
    const ok = await httpbis.verifyMessage(
      {
        keyLookup: async (params) => ({
          id: String(params.keyid),
          algs: ['ed25519'],
          verify: async (data, signature) => nodeVerify(null, data, keys.get(String(params.keyid))!, signature),
        }),
        notAfter: now.getTime() / 1000 + 1,
        requiredFields: [...requestComponents],
      },
      {
        method: request.method,
        url: `https://gongan.node.qinghe.gov.cn${request.target}`,
        headers: request.headers as Record<string, string>,
      },
    );
    expect(ok).toBe(true);
  });

  it('http-message-signatures request signatures verify with ours', async () => {
    const request = baseRequest();
    const headers = { ...(request.headers as Record<string, string>), 'content-digest': contentDigest(request.body) };
    const theirs = await httpbis.signMessage(
      {
        key: { id: 'zhengwu#k1', alg: 'ed25519', sign: async (data) => nodeSign(null, data, consumer.privateKey) },
        name: 'hutong',
        fields: [...requestComponents],
        params: ['created', 'keyid', 'alg', 'nonce', 'tag'],
        paramValues: { created: now, nonce: 'their-nonce', tag: 'hutong-request' },
      },
      { method: 'POST', url: `https://gongan.node.qinghe.gov.cn${request.target}`, headers },
    );
    const result = verifyRequest({ ...request, headers: theirs.headers }, verifyOptions());
    expect(result).toMatchObject({ keyId: 'zhengwu#k1', nonce: 'their-nonce' });
  });
});

describe('request verification', () => {
  it('accepts a good signature once and refuses its replay', () => {
    const options = verifyOptions();
    const request = signed();
    expect(verifyRequest(request, options).keyId).toBe('zhengwu#k1');
    expect(codeOf(() => verifyRequest(request, options))).toBe('SIGNATURE_REPLAYED');
  });

  it('refuses an unknown key, a wrong key, a stale time and a missing signature with distinct codes', () => {
    expect(codeOf(() => verifyRequest(signed(baseRequest(), { keyId: 'nobody#k1' }), verifyOptions()))).toBe(
      'SIGNATURE_KEY_UNKNOWN',
    );
    expect(codeOf(() => verifyRequest(signed(baseRequest(), { key: stranger.privateKey }), verifyOptions()))).toBe(
      'SIGNATURE_INVALID',
    );
    expect(
      codeOf(() =>
        verifyRequest(signed(baseRequest(), { created: new Date(now.getTime() - 301_000) }), verifyOptions()),
      ),
    ).toBe('SIGNATURE_STALE');
    expect(
      codeOf(() =>
        verifyRequest(signed(baseRequest(), { created: new Date(now.getTime() + 301_000) }), verifyOptions()),
      ),
    ).toBe('SIGNATURE_STALE');
    expect(codeOf(() => verifyRequest(baseRequest(), verifyOptions()))).toBe('SIGNATURE_MISSING');
  });

  it('detects tampering with a covered header, the path, or the body', () => {
    const request = signed();
    const otherAgreement = { ...request, headers: { ...request.headers, 'hutong-agreement': 'GX-20261127-ZZZZZZ' } };
    expect(codeOf(() => verifyRequest(otherAgreement, verifyOptions()))).toBe('SIGNATURE_INVALID');
    expect(codeOf(() => verifyRequest({ ...request, target: '/peer/v1/record?trace=1' }, verifyOptions()))).toBe(
      'SIGNATURE_INVALID',
    );
    expect(codeOf(() => verifyRequest({ ...request, body: Buffer.from('{"subject":"other"}') }, verifyOptions()))).toBe(
      'DIGEST_MISMATCH',
    );
  });

  it('refuses a signature that leaves out a required component', async () => {
    const request = baseRequest();
    const headers = { ...(request.headers as Record<string, string>), 'content-digest': contentDigest(request.body) };
    const partial = await httpbis.signMessage(
      {
        key: { id: 'zhengwu#k1', alg: 'ed25519', sign: async (data) => nodeSign(null, data, consumer.privateKey) },
        name: 'hutong',
        fields: ['@method', '@path', 'content-digest'],
        params: ['created', 'keyid', 'nonce'],
        paramValues: { created: now, nonce: 'x' },
      },
      { method: 'POST', url: `https://n${request.target}`, headers },
    );
    expect(codeOf(() => verifyRequest({ ...request, headers: partial.headers }, verifyOptions()))).toBe(
      'SIGNATURE_COMPONENTS_MISSING',
    );
  });

  it('answers garbage signature headers with a code, never a crash', () => {
    for (const [input, signature] of [
      ['hutong=("@method"', 'hutong=:AAAA:'],
      ['hutong=("@method");created=1', 'hutong=:AAAA:'],
      ['hutong="x"', 'hutong=:AAAA:'],
      ['other=("@method");created=1;keyid="zhengwu#k1"', 'other=:AAAA:'],
    ] as const) {
      const request = { ...baseRequest(), headers: { ...baseRequest().headers, 'signature-input': input, signature } };
      expect(['SIGNATURE_MALFORMED', 'SIGNATURE_MISSING', 'SIGNATURE_COMPONENTS_MISSING']).toContain(
        codeOf(() => verifyRequest(request, verifyOptions())),
      );
    }
  });
});

describe('response binding', () => {
  it('binds the provider’s response to the request it answers', () => {
    const request = signed();
    const body = Buffer.from('{"result":true}');
    const headers = signResponse(
      { status: 200, headers: { 'hutong-request-id': 'req-1', 'content-type': 'application/json' }, body },
      request,
      {
        key: ed25519MessageSigner('gongan#k1', provider.privateKey),
        created: now,
        tag: 'hutong-response',
      },
    );
    const response = { status: 200, headers, body };
    expect(verifyResponse(response, request, verifyOptions()).keyId).toBe('gongan#k1');
    const otherRequest = signed(
      { ...baseRequest(), body: Buffer.from('{"subject":"someone else"}') },
      { nonce: 'n-2' },
    );
    expect(codeOf(() => verifyResponse(response, otherRequest, verifyOptions()))).toBe('SIGNATURE_INVALID');
    expect(codeOf(() => verifyResponse({ ...response, status: 403 }, request, verifyOptions()))).toBe(
      'SIGNATURE_INVALID',
    );
  });
});
