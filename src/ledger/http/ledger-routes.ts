/**
 * The audit log over HTTP under /ledger, as c2sp.org/tlog-tiles lays it out (checkpoint, hash tiles, entry
 * bundles: plain text and octet streams, no JSON), plus two JSON conveniences: an entry with its inclusion
 * proof against the latest checkpoint, and a consistency proof. Read-only and unauthenticated: everything
 * here is public by design (entries must not carry personal data in clear; see src/ledger/README.md).
 * Errors are RFC 9457 problem+json whose `code` is the ledger core's LedgerErrorCode (or NOT_FOUND/INTERNAL).
 * Response schemas are zod: the app that mounts the routes serializes with fastify-type-provider-zod (the hub).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { base64Encode, parseDecimal, utf8DecodeStrict } from '../../core/ledger/bytes';
import { isLedgerRouteCode, type LedgerRouteErrorCode } from '../../core/error-catalogue';
import { fail, isLedgerError } from '../../core/ledger/errors';
import { parseTilePath } from '../../core/ledger/tiles';
import type { LogService } from '../service/log-service';
import type { WitnessStatus } from '../service/witnessing';
import { problemFor } from '../../core/problem';
import { sendProblem } from '../../platform/http/problem';

function sendLedgerProblem(request: FastifyRequest, reply: FastifyReply, code: LedgerRouteErrorCode, detail: string) {
  // The `ledger-` namespace keeps the log's problem types apart from the hub's (RFC 9457 §3.1.1).
  return sendProblem(reply, problemFor(code, { detail, instance: request.id, namespace: 'ledger-' }));
}

class NotFound extends Error {}

function decimalParam(value: unknown, name: string): number {
  const n = typeof value === 'string' ? parseDecimal(value) : undefined;
  return n ?? fail('BAD_NUMBER', `${name} must be a decimal integer without leading zeros`);
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

/** A success answer that is not JSON: signed notes and keys as text, tiles as bytes. */
const plainText = (description: string) => ({ description, content: { 'text/plain': { schema: z.string() } } });
const bytes = (description: string) => ({
  description,
  content: { 'application/octet-stream': { schema: z.string().meta({ format: 'binary' }) } },
});

const witnessStatusSchema = z.object({
  name: z.string(),
  cosignedSize: z.number().int(),
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  refusals: z.number().int(),
});

const entryProofSchema = z.object({
  index: z.number().int(),
  encoding: z.enum(['utf-8', 'base64']),
  data: z.string(),
  leafHash: z.string(),
  treeSize: z.number().int(),
  inclusionProof: z.array(z.string()),
  checkpoint: z.string(),
  final: z.boolean().describe('the checkpoint is cosigned by a quorum of witnesses'),
});

const consistencySchema = z.object({ from: z.number().int(), to: z.number().int(), proof: z.array(z.string()) });

export interface LedgerWitnessing {
  /** The latest checkpoint with the witnesses' cosignatures. */
  checkpoint(): Promise<string | undefined>;
  /** The tlog-policy naming the log, the witnesses and the quorum. */
  policy(): Promise<string>;
  /** Under the 国密 suite, the same policy over the log's and the witnesses' SM2 keys (else undefined). */
  sm2Policy(): Promise<string | undefined>;
  witnessStatus(): WitnessStatus[];
}

export function ledgerRoutes(log: LogService, witnessing?: LedgerWitnessing): FastifyPluginAsync {
  return async (app) => {
    app.setErrorHandler((error, request, reply) => {
      if (error instanceof NotFound) return sendLedgerProblem(request, reply, 'NOT_FOUND', error.message);
      if (isLedgerError(error) && isLedgerRouteCode(error.code)) {
        return sendLedgerProblem(request, reply, error.code, error.message);
      }
      request.log.error({ err: error }, 'ledger request failed');
      return sendLedgerProblem(request, reply, 'INTERNAL', '服务器内部错误，已记录 / internal error, logged');
    });

    // Every answer here is public and unauthenticated; a malformed number or path is a 400, one beyond the
    // log a 404.
    const schema = (summary: string, response: Record<number, unknown>, problems: number[] = []) => ({
      tags: ['ledger'],
      summary,
      response,
      problems,
    });

    app.get(
      '/ledger/checkpoint',
      {
        schema: schema(
          '最新签名检查点 / Latest signed checkpoint',
          { 200: plainText('c2sp.org/signed-note, with the witnesses’ cosignatures') },
          [404],
        ),
      },
      async (_r, reply) => {
        const note = witnessing ? await witnessing.checkpoint() : await log.checkpoint();
        if (note === undefined) throw new NotFound('no checkpoint has been published yet');
        return reply.type('text/plain; charset=utf-8').header('cache-control', 'no-cache').send(note);
      },
    );

    app.get(
      '/ledger/policy',
      {
        schema: schema(
          '见证策略 / Witness policy (c2sp.org/tlog-policy)',
          { 200: plainText('c2sp.org/tlog-policy') },
          [404],
        ),
      },
      async (_r, reply) => {
        if (!witnessing) throw new NotFound('this log has no witness policy');
        return reply
          .type('text/plain; charset=utf-8')
          .header('cache-control', 'no-cache')
          .send(await witnessing.policy());
      },
    );

    app.get(
      '/ledger/sm2-policy',
      {
        schema: schema(
          '国密见证策略 / Witness policy over the SM2 keys (the 国密 suite; hutong/sm2-sm3 signature lines)',
          { 200: plainText('c2sp.org/tlog-policy syntax, SM2 vkeys (docs/API.md)') },
          [404],
        ),
      },
      async (_r, reply) => {
        const policy = await witnessing?.sm2Policy();
        if (!policy) throw new NotFound('this log has no SM2 keys (its city runs the intl suite)');
        return reply.type('text/plain; charset=utf-8').header('cache-control', 'no-cache').send(policy);
      },
    );

    app.get(
      '/ledger/witnesses',
      { schema: schema('各见证方状态 / Witness status', { 200: z.object({ items: z.array(witnessStatusSchema) }) }) },
      async () => ({ items: witnessing?.witnessStatus() ?? [] }),
    );

    app.get(
      '/ledger/vkey',
      { schema: schema('日志公钥 / Log verifier key', { 200: plainText('c2sp.org/signed-note verifier key') }) },
      async (_r, reply) => reply.type('text/plain; charset=utf-8').send(`${log.vkey()}\n`),
    );

    app.get(
      '/ledger/tile/*',
      {
        schema: schema(
          '哈希瓦片与条目包 / Tiles and entry bundles',
          { 200: bytes('c2sp.org/tlog-tiles: a hash tile or an entry bundle') },
          [400],
        ),
      },
      async (request, reply) => {
        const rest = (request.params as Record<string, string>)['*'] ?? '';
        const parsed = parseTilePath(`tile/${rest}`);
        const bytes =
          parsed.kind === 'hashes'
            ? await log.tile(parsed.tile.level, parsed.tile.n, parsed.tile.width)
            : await log.entryBundle(parsed.n, parsed.width);
        return reply.type('application/octet-stream').header('cache-control', IMMUTABLE).send(Buffer.from(bytes));
      },
    );

    app.get(
      '/ledger/entries/:index',
      { schema: schema('条目及其包含证明 / Entry with inclusion proof', { 200: entryProofSchema }, [400]) },
      async (request) => {
        const index = decimalParam((request.params as Record<string, unknown>).index, 'index');
        // Against the latest checkpoint the witnesses made final, so the proof carries their cosignatures and
        // meets the published policy offline; an entry newer than that is proved against the latest one.
        const final = await log.latestCosigned();
        const checkpoint = final && final.size > index ? final : await log.latestCheckpoint();
        if (!checkpoint) throw new NotFound('no checkpoint has been published yet');
        const proof = await log.inclusion(index, checkpoint.size);
        const data = await log.entry(index);
        const text = utf8DecodeStrict(data);
        return {
          index,
          ...(text === undefined
            ? { encoding: 'base64', data: base64Encode(data) }
            : { encoding: 'utf-8', data: text }),
          leafHash: base64Encode(proof.leafHash),
          treeSize: proof.size,
          inclusionProof: proof.proof.map(base64Encode),
          checkpoint: checkpoint.note,
          final: checkpoint === final,
        };
      },
    );

    const consistencyQuery = z.object({ from: z.string(), to: z.string() });
    app.get(
      '/ledger/proof/consistency',
      {
        schema: {
          ...schema('一致性证明 / Consistency proof', { 200: consistencySchema }, [400, 404]),
          // Read by the route itself: a number must be decimal without leading zeros (BAD_NUMBER).
          described: { querystring: consistencyQuery },
        },
      },
      async (request) => {
        const query = request.query as Record<string, unknown>;
        const from = decimalParam(query.from, 'from');
        const to = decimalParam(query.to, 'to');
        const proof = await log.consistency(from, to);
        return { from, to, proof: proof.map(base64Encode) };
      },
    );
  };
}
