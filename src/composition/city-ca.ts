/**
 * A city CA for cities without one (`hutong init ca`, `hutong init cert`): an ECDSA P-256 root and, signed
 * by it, server-and-client certificates for the hub and each department's node, made with the OpenSSL
 * command line every Linux server has. Keys are written 0600; the CA's key should then leave the server.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ConfigExists } from './production-hub';

const openssl = (...args: string[]) => promisify(execFile)('openssl', args);
const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

export interface CityCa {
  cert: string;
  key: string;
}

/** Creates `city-ca.crt` and `city-ca.key` in `dir` (never over existing ones). */
export async function initCityCa(dir: string, name: string, days = 3650): Promise<CityCa> {
  const folder = resolve(dir);
  const ca = { cert: join(folder, 'city-ca.crt'), key: join(folder, 'city-ca.key') };
  if (existsSync(ca.cert) || existsSync(ca.key)) throw new ConfigExists(ca.cert);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  await openssl(
    'req',
    '-x509',
    ...ecKey,
    '-keyout',
    ca.key,
    '-out',
    ca.cert,
    '-days',
    String(days),
    '-subj',
    `/CN=${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE,pathlen:0',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  chmodSync(ca.key, 0o600);
  return ca;
}

/**
 * A certificate for one server (`<name>.crt`, `<name>.key` in `outDir`), valid as TLS server and client,
 * for the host names and addresses given (its subjectAltName).
 */
export async function issueCertificate(
  ca: CityCa,
  outDir: string,
  name: string,
  hosts: readonly string[],
  days = 825,
): Promise<{ cert: string; key: string }> {
  if (!/^[a-z0-9][a-z0-9._-]{0,62}$/.test(name)) throw new Error(`${name}: a certificate name is a-z, 0-9, . _ -`);
  if (hosts.length === 0) throw new Error('a certificate needs at least one host name or address');
  const folder = resolve(outDir);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const issued = { cert: join(folder, `${name}.crt`), key: join(folder, `${name}.key`) };
  if (existsSync(issued.cert) || existsSync(issued.key)) throw new ConfigExists(issued.cert);
  const request = join(folder, `${name}.csr`);
  const extensions = join(folder, `${name}.ext`);
  const altNames = hosts.map((host) => (isIP(host) ? `IP:${host}` : `DNS:${host}`)).join(',');
  writeFileSync(extensions, `subjectAltName=${altNames}\nextendedKeyUsage=serverAuth,clientAuth\n`);
  try {
    await openssl('req', '-new', ...ecKey, '-keyout', issued.key, '-out', request, '-subj', `/CN=${name}`);
    await openssl(
      'x509',
      '-req',
      '-in',
      request,
      '-CA',
      ca.cert,
      '-CAkey',
      ca.key,
      '-CAcreateserial',
      '-out',
      issued.cert,
      '-days',
      String(days),
      '-extfile',
      extensions,
    );
  } finally {
    rmSync(request, { force: true });
    rmSync(extensions, { force: true });
  }
  chmodSync(issued.key, 0o600);
  return issued;
}
