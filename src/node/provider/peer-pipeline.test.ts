import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ed25519MessageSigner, ed25519MessageVerifier, ed25519PublicKeyFromRaw } from '../exchange/http-signatures';
import type { NodeService } from '../service/node-service';
import { PeerPipeline, type PeerRequest } from './peer-pipeline';

// Unverified requests never reach the node's service: nothing is decided or read for them.
const unreachable = new Proxy({} as NodeService, {
  get: (_target, name) => {
    throw new Error(`the service was asked for ${String(name)}`);
  },
});

function pipeline() {
  return new PeerPipeline({
    service: unreachable,
    now: () => new Date('2026-12-05T10:00:00Z'),
    signer: ed25519MessageSigner('gongan:k1', generateKeyPairSync('ed25519').privateKey),
    verifierFor: (key) => ed25519MessageVerifier(ed25519PublicKeyFromRaw(key.publicKey)),
    windowSeconds: 300,
  });
}

const unsigned = (clientAddress: string): PeerRequest => ({
  method: 'POST',
  target: '/peer/v1/verify',
  headers: { 'content-type': 'application/json' },
  body: Buffer.from('{}'),
  mode: 'verify',
  clientAddress,
});

describe('the provider pipeline, without HTTP', () => {
  it('refuses an unsigned request as nobody’s, unsigned, without asking the service', async () => {
    const outcome = await pipeline().handle(unsigned('10.0.0.1'));
    expect(outcome.kind).toBe('unverified');
    expect(outcome.kind === 'unverified' && outcome.problem.code).toBe('SIGNATURE_MISSING');
    expect(outcome.kind === 'unverified' && outcome.problem.status).toBe(401);
  });

  it('turns an address away once its signatures keep failing, and only that address', async () => {
    const node = pipeline();
    for (let i = 0; i < 30; i++) await node.handle(unsigned('10.0.0.2'));
    const blocked = await node.handle(unsigned('10.0.0.2'));
    expect(blocked).toMatchObject({
      kind: 'unverified',
      retryAfterSeconds: 60,
      problem: { code: 'TOO_MANY_UNVERIFIED' },
    });
    const other = await node.handle(unsigned('10.0.0.3'));
    expect(other).toMatchObject({ kind: 'unverified', problem: { code: 'SIGNATURE_MISSING' } });
  });
});
