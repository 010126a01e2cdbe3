/**
 * RFC 9421 HTTP Message Signatures with RFC 9530 Content-Digest, for node-to-node exchange: `ed25519` with
 * `sha-256` here, or any scheme the composition injects (`sm2-sm3` with `sm3` for a 国密 city).
 * A request signature covers the method, path, query, body digest and the exchange headers (agreement,
 * purpose, officer, case, request id); a response signature covers its status and digest and binds to the
 * request through `;req` components (RFC 9421 §2.4). Every refusal carries its own code.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  sign,
  timingSafeEqual,
  verify,
} from 'node:crypto';
import type { MessageSignatureScheme, MessageSigner, MessageVerifier } from '../../core/ports/message-signature';
import {
  type BareItem,
  type InnerList,
  type Item,
  type Parameters,
  parseDictionary,
  serializeDictionary,
  serializeInnerList,
} from 'structured-headers';

export const exchangeHeaders = {
  agreement: 'hutong-agreement',
  purpose: 'hutong-purpose',
  officer: 'hutong-officer',
  caseId: 'hutong-case',
  requestId: 'hutong-request-id',
  /**
   * Optional: the disclosure date (YYYY-MM-DD) of a covert request (an allow-listed agency's investigation).
   * When present it must be covered by the signature, like every other exchange header.
   */
  covertUntil: 'hutong-covert-until',
} as const;

export const signatureLabel = 'hutong';

export const requestComponents = [
  '@method',
  '@path',
  '@query',
  'content-digest',
  exchangeHeaders.agreement,
  exchangeHeaders.purpose,
  exchangeHeaders.officer,
  exchangeHeaders.caseId,
  exchangeHeaders.requestId,
] as const;

export const responseComponents = [
  '@status',
  'content-digest',
  exchangeHeaders.requestId,
  'content-digest;req',
  '@method;req',
  '@path;req',
] as const;

/**
 * What a node's signature covers on its calls to the hub (audit shipments, key changes): the request line
 * and the body's digest. The tag says which kind of call it is, so one cannot be replayed as the other.
 */
export const hubCallComponents = ['@method', '@path', '@query', 'content-digest'] as const;
export type HubCallTag = 'hutong-audit-shipment' | 'hutong-key-change';

export type SignatureErrorCode =
  | 'SIGNATURE_MISSING'
  | 'SIGNATURE_MALFORMED'
  | 'SIGNATURE_COMPONENTS_MISSING'
  | 'SIGNATURE_ALGORITHM_UNSUPPORTED'
  | 'SIGNATURE_KEY_UNKNOWN'
  | 'SIGNATURE_INVALID'
  | 'SIGNATURE_STALE'
  | 'SIGNATURE_REPLAYED'
  | 'DIGEST_MISMATCH';

export class SignatureError extends Error {
  constructor(
    readonly code: SignatureErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SignatureError';
  }
}

export interface HttpRequestParts {
  method: string;
  /** Path and query as sent, e.g. `/peer/v1/verify?x=1`. */
  target: string;
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
}

export interface HttpResponseParts {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
}

/** RFC 9421 §3.3.6 `ed25519` with RFC 9530 `sha-256`: the intl suite's message signatures. */
export const ed25519Scheme: MessageSignatureScheme = {
  alg: 'ed25519',
  digestAlgorithm: 'sha-256',
  digest: (data) => createHash('sha256').update(data).digest(),
};

/** A node's Ed25519 key (node:crypto) as a message signer; `keyId` may be read late (once registered). */
export function ed25519MessageSigner(keyId: string | (() => string), privateKey: KeyObject): MessageSigner {
  return {
    get keyId() {
      return typeof keyId === 'string' ? keyId : keyId();
    },
    scheme: ed25519Scheme,
    sign: (message) => sign(null, message, privateKey),
  };
}

export function ed25519MessageVerifier(publicKey: KeyObject): MessageVerifier {
  return {
    scheme: ed25519Scheme,
    // RFC 8032 signatures are 64 bytes; anything else is refused before node:crypto sees it.
    verify: (message, signature) => signature.length === 64 && verify(null, message, publicKey, signature),
  };
}

// RFC 9530 §2: Content-Digest is a dictionary of algorithm → byte sequence.
export function contentDigest(body: Uint8Array, scheme: MessageSignatureScheme = ed25519Scheme): string {
  return `${scheme.digestAlgorithm}=:${Buffer.from(scheme.digest(body)).toString('base64')}:`;
}

export function checkContentDigest(
  header: string | undefined,
  body: Uint8Array,
  scheme: MessageSignatureScheme = ed25519Scheme,
): void {
  if (!header) throw new SignatureError('DIGEST_MISMATCH', 'Content-Digest header missing');
  let dictionary: Map<string, Item | InnerList>;
  try {
    dictionary = parseDictionary(header);
  } catch {
    throw new SignatureError('DIGEST_MISMATCH', 'Content-Digest header malformed');
  }
  // The digest the signer's scheme uses must be there; others may be, and are not trusted.
  const entry = dictionary.get(scheme.digestAlgorithm);
  const expected = Buffer.from(scheme.digest(body));
  const value = entry && !Array.isArray(entry[0]) ? (entry as Item)[0] : undefined;
  if (!(value instanceof ArrayBuffer) || value.byteLength !== expected.length) {
    throw new SignatureError('DIGEST_MISMATCH', `Content-Digest has no ${scheme.digestAlgorithm} value`);
  }
  if (!timingSafeEqual(Buffer.from(value), expected)) {
    throw new SignatureError('DIGEST_MISMATCH', 'body does not match Content-Digest');
  }
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  let value = headers[wanted];
  if (value === undefined) {
    // Field names are case-insensitive; Node lowercases incoming ones, other clients may not.
    const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === wanted);
    value = key === undefined ? undefined : headers[key];
  }
  if (value === undefined) return undefined;
  // RFC 9421 §2.1: multiple field lines are combined with ", ".
  return Array.isArray(value) ? value.map((v) => v.trim()).join(', ') : value.trim();
}

function splitTarget(target: string): { path: string; query: string } {
  const index = target.indexOf('?');
  return index < 0 ? { path: target, query: '?' } : { path: target.slice(0, index), query: target.slice(index) };
}

interface Component {
  name: string;
  req: boolean;
}

function parseComponentId(id: string): Component {
  const [name, ...params] = id.split(';');
  return { name: name!, req: params.includes('req') };
}

function componentItem(component: Component): Item {
  const params: Parameters = new Map();
  if (component.req) params.set('req', true);
  return [component.name, params];
}

function componentValue(
  component: Component,
  message: HttpRequestParts | HttpResponseParts,
  request?: HttpRequestParts,
): string {
  const source = component.req ? request : message;
  if (!source) throw new SignatureError('SIGNATURE_COMPONENTS_MISSING', `${component.name};req without a request`);
  switch (component.name) {
    case '@method':
      if (!('method' in source)) break;
      return source.method.toUpperCase();
    case '@path':
      if (!('target' in source)) break;
      return splitTarget(source.target).path;
    case '@query':
      if (!('target' in source)) break;
      return splitTarget(source.target).query;
    case '@status':
      if (!('status' in source)) break;
      return String(source.status);
    default: {
      if (component.name.startsWith('@')) break;
      const value = header(source.headers, component.name);
      if (value === undefined) {
        throw new SignatureError('SIGNATURE_COMPONENTS_MISSING', `covered header ${component.name} is absent`);
      }
      return value;
    }
  }
  throw new SignatureError('SIGNATURE_MALFORMED', `component ${component.name} does not apply here`);
}

// The serialised identifier of a component (`"content-digest";req`) depends only on the component; the
// same few appear in every request, so they are serialised once.
const identifiers = new Map<string, string>();
function componentIdentifier(component: Component): string {
  const key = `${component.name}\u0000${component.req}`;
  let identifier = identifiers.get(key);
  if (identifier === undefined) {
    identifier = serializeInnerList([[componentItem(component)], new Map()]).slice(1, -1);
    if (identifiers.size < 256) identifiers.set(key, identifier);
  }
  return identifier;
}

// RFC 9421 §2.5: the signature base, one line per covered component, then @signature-params.
function signatureBase(
  components: Component[],
  params: Parameters,
  message: HttpRequestParts | HttpResponseParts,
  request?: HttpRequestParts,
): { base: string; signatureParams: string } {
  const signatureParams = serializeInnerList([components.map(componentItem), params]);
  const lines = components.map(
    (component) => `${componentIdentifier(component)}: ${componentValue(component, message, request)}`,
  );
  lines.push(`"@signature-params": ${signatureParams}`);
  return { base: lines.join('\n'), signatureParams };
}

export interface SignOptions {
  key: MessageSigner;
  created: Date;
  nonce?: string;
  tag: 'hutong-request' | 'hutong-response' | HubCallTag;
}

function signWith(
  componentIds: readonly string[],
  message: HttpRequestParts | HttpResponseParts,
  options: SignOptions,
  request?: HttpRequestParts,
): { 'signature-input': string; signature: string } {
  const params: Parameters = new Map<string, BareItem>([
    ['created', Math.floor(options.created.getTime() / 1000)],
    ['keyid', options.key.keyId],
    ['alg', options.key.scheme.alg],
  ]);
  if (options.nonce) params.set('nonce', options.nonce);
  params.set('tag', options.tag);
  const components = componentIds.map(parseComponentId);
  const { base, signatureParams } = signatureBase(components, params, message, request);
  const signature = options.key.sign(Buffer.from(base, 'utf8'));
  return {
    'signature-input': `${signatureLabel}=${signatureParams}`,
    signature: serializeDictionary(new Map([[signatureLabel, [toArrayBuffer(signature), new Map()]]])),
  };
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** Adds Content-Digest, Signature-Input and Signature to a request's headers. */
export function signRequest(request: HttpRequestParts, options: SignOptions): Record<string, string> {
  const headers: Record<string, string> = {
    ...stringHeaders(request.headers),
    'content-digest': contentDigest(request.body, options.key.scheme),
  };
  // Optional exchange headers are covered whenever they are sent.
  const components =
    headers[exchangeHeaders.covertUntil] === undefined
      ? requestComponents
      : [...requestComponents, exchangeHeaders.covertUntil];
  const signed = signWith(components, { ...request, headers }, options);
  return { ...headers, ...signed };
}

/** Signs a node's call to the hub (hubCallComponents, a nonce, the call's tag). */
export function signHubCall(
  request: HttpRequestParts,
  options: Omit<SignOptions, 'tag' | 'nonce'> & { tag: HubCallTag; nonce: string },
): Record<string, string> {
  const headers: Record<string, string> = {
    ...stringHeaders(request.headers),
    'content-digest': contentDigest(request.body, options.key.scheme),
  };
  return { ...headers, ...signWith(hubCallComponents, { ...request, headers }, options) };
}

/**
 * Verifies a node's call to the hub: the covered components, the window, the digest, and that it was
 * signed for this kind of call (`tag`). The nonce is returned for the caller to claim durably.
 */
export function verifyHubCall(
  request: HttpRequestParts,
  tag: HubCallTag,
  options: Omit<VerifyOptions, 'requiredComponents' | 'requireNonce' | 'rememberNonce'>,
): VerifiedSignature & { nonce: string } {
  const verified = verifyWith(request, { ...options, requiredComponents: hubCallComponents, requireNonce: true });
  if (verified.tag !== tag) throw new SignatureError('SIGNATURE_MALFORMED', `signature is not for ${tag}`);
  return verified as VerifiedSignature & { nonce: string };
}

/** The keyid a request's Signature-Input claims (before anything is verified). */
export function claimedSignatureKeyId(headers: Record<string, string | string[] | undefined>): string | undefined {
  const input = header(headers, 'signature-input');
  if (!input) return undefined;
  try {
    const covered = parseDictionary(input).get(signatureLabel);
    const keyId = covered?.[1].get('keyid');
    return typeof keyId === 'string' ? keyId : undefined;
  } catch {
    return undefined;
  }
}

/** Adds Content-Digest, Signature-Input and Signature to a response, bound to the request it answers. */
export function signResponse(
  response: HttpResponseParts,
  request: HttpRequestParts,
  options: SignOptions,
): Record<string, string> {
  const headers = {
    ...stringHeaders(response.headers),
    'content-digest': contentDigest(response.body, options.key.scheme),
  };
  const signed = signWith(responseComponents, { ...response, headers }, options, request);
  return { ...headers, ...signed };
}

function stringHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export interface VerifyOptions {
  now: Date;
  /** Accepted distance between `created` and now, in seconds (default 300). */
  windowSeconds: number;
  lookupKey(keyId: string): MessageVerifier | undefined;
  /** Records a nonce; false when it was seen before (a replay). */
  rememberNonce?(keyId: string, nonce: string, expiresAt: Date): boolean;
  requiredComponents: readonly string[];
  requireNonce: boolean;
}

export interface VerifiedSignature {
  keyId: string;
  created: Date;
  nonce: string | undefined;
  tag: string | undefined;
  /** The covered component identifiers (`content-digest`, `@method;req` …). */
  covered: string[];
}

function parseSignatureHeaders(headers: Record<string, string | string[] | undefined>): {
  components: Component[];
  params: Parameters;
  signature: Buffer;
} {
  const input = header(headers, 'signature-input');
  const value = header(headers, 'signature');
  if (!input || !value) throw new SignatureError('SIGNATURE_MISSING', 'Signature-Input and Signature are required');
  let inputs: Map<string, Item | InnerList>;
  let signatures: Map<string, Item | InnerList>;
  try {
    inputs = parseDictionary(input);
    signatures = parseDictionary(value);
  } catch {
    throw new SignatureError('SIGNATURE_MALFORMED', 'Signature headers are not structured fields');
  }
  const covered = inputs.get(signatureLabel);
  const signature = signatures.get(signatureLabel);
  if (!covered || !signature)
    throw new SignatureError('SIGNATURE_MISSING', `no signature labelled "${signatureLabel}"`);
  if (!Array.isArray(covered[0]) || Array.isArray(signature[0]) || !(signature[0] instanceof ArrayBuffer)) {
    throw new SignatureError('SIGNATURE_MALFORMED', 'signature input must be an inner list, signature a byte sequence');
  }
  const components = (covered[0] as Item[]).map(([name, params]) => {
    if (typeof name !== 'string') throw new SignatureError('SIGNATURE_MALFORMED', 'component names are strings');
    return { name, req: params.get('req') === true };
  });
  return { components, params: covered[1], signature: Buffer.from(signature[0]) };
}

function verifyWith(
  message: HttpRequestParts | HttpResponseParts,
  options: VerifyOptions,
  request?: HttpRequestParts,
): VerifiedSignature {
  const { components, params, signature } = parseSignatureHeaders(message.headers);
  const coveredIds = new Set(components.map((c) => (c.req ? `${c.name};req` : c.name)));
  const missing = options.requiredComponents.filter((id) => !coveredIds.has(id));
  if (missing.length)
    throw new SignatureError('SIGNATURE_COMPONENTS_MISSING', `signature does not cover: ${missing.join(', ')}`);
  const keyId = params.get('keyid');
  const created = params.get('created');
  if (typeof keyId !== 'string' || typeof created !== 'number' || !Number.isInteger(created)) {
    throw new SignatureError('SIGNATURE_MALFORMED', 'keyid and an integer created are required');
  }
  const nonce = params.get('nonce');
  if (nonce !== undefined && typeof nonce !== 'string')
    throw new SignatureError('SIGNATURE_MALFORMED', 'nonce must be a string');
  if (options.requireNonce && !nonce) throw new SignatureError('SIGNATURE_MALFORMED', 'nonce is required');
  const key = options.lookupKey(keyId);
  if (!key) throw new SignatureError('SIGNATURE_KEY_UNKNOWN', `unknown key ${keyId}`);
  // RFC 9421 §3.2 step 6: the key decides the algorithm; an `alg` naming another one is refused, never
  // followed (no algorithm confusion).
  const alg = params.get('alg');
  if (alg !== undefined && alg !== key.scheme.alg)
    throw new SignatureError(
      'SIGNATURE_ALGORITHM_UNSUPPORTED',
      `alg ${String(alg)} is not the key's ${key.scheme.alg}`,
    );
  const { base } = signatureBase(components, params, message, request);
  if (!key.verify(Buffer.from(base, 'utf8'), signature)) {
    throw new SignatureError('SIGNATURE_INVALID', 'signature does not verify');
  }
  const nowSeconds = options.now.getTime() / 1000;
  if (Math.abs(nowSeconds - created) > options.windowSeconds) {
    throw new SignatureError('SIGNATURE_STALE', `created ${created} is outside the ${options.windowSeconds}s window`);
  }
  const expires = params.get('expires');
  if (typeof expires === 'number' && expires < nowSeconds)
    throw new SignatureError('SIGNATURE_STALE', 'signature expired');
  checkContentDigest(header(message.headers, 'content-digest'), message.body, key.scheme);
  // Nonces are burnt only for signatures that verified, so a forger cannot exhaust them.
  if (nonce && options.rememberNonce) {
    const fresh = options.rememberNonce(keyId, nonce, new Date((created + options.windowSeconds) * 1000));
    if (!fresh) throw new SignatureError('SIGNATURE_REPLAYED', `nonce ${nonce} was already used`);
  }
  return {
    keyId,
    created: new Date(created * 1000),
    nonce,
    tag: typeof params.get('tag') === 'string' ? (params.get('tag') as string) : undefined,
    covered: [...coveredIds],
  };
}

export function verifyRequest(
  request: HttpRequestParts,
  options: Omit<VerifyOptions, 'requiredComponents' | 'requireNonce'>,
): VerifiedSignature {
  return verifyWith(request, { ...options, requiredComponents: requestComponents, requireNonce: true });
}

export function verifyResponse(
  response: HttpResponseParts,
  request: HttpRequestParts,
  options: Omit<VerifyOptions, 'requiredComponents' | 'requireNonce'>,
): VerifiedSignature {
  return verifyWith(response, { ...options, requiredComponents: responseComponents, requireNonce: false }, request);
}

/** Ed25519 keys travel as raw 32-byte base64 (as registered at the hub); KeyObjects are what node:crypto wants. */
export function ed25519PublicKeyFromRaw(base64: string): KeyObject {
  const raw = Buffer.from(base64, 'base64');
  if (raw.length !== 32) throw new SignatureError('SIGNATURE_KEY_UNKNOWN', 'Ed25519 public keys are 32 bytes');
  return createPublicKey({ key: Buffer.concat([ed25519SpkiPrefix, raw]), format: 'der', type: 'spki' });
}

export function ed25519PrivateKeyFromPkcs8(base64: string): KeyObject {
  return createPrivateKey({ key: Buffer.from(base64, 'base64'), format: 'der', type: 'pkcs8' });
}

const ed25519SpkiPrefix = Buffer.from('302a300506032b6570032100', 'hex');

/** A nonce memory with expiry; bounded by the signature window, so it stays small. */
export class NonceCache {
  private readonly seen = new Map<string, number>();

  remember(keyId: string, nonce: string, expiresAt: Date, now: Date): boolean {
    if (this.seen.size > 10_000) this.sweep(now);
    const key = `${keyId}\u0000${nonce}`;
    const existing = this.seen.get(key);
    if (existing !== undefined && existing > now.getTime()) return false;
    this.seen.set(key, expiresAt.getTime());
    return true;
  }

  private sweep(now: Date): void {
    for (const [key, expiry] of this.seen) if (expiry <= now.getTime()) this.seen.delete(key);
  }
}
