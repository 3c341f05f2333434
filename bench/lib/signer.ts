/**
 * Our own RSA keys behind a loopback JWKS endpoint, for cases the emulator cannot produce
 * (tokens with hundreds of permissions, key sets of 50 keys, thousands of distinct tokens).
 * Tokens are shaped like WorkOS access tokens and signed with node:crypto.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPair, sign, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

const generate = promisify(generateKeyPair);

export interface KeyServer {
  baseUrl: string;
  clientId: string;
  /** Serves `count` keys from now on; the signing key is always among them (last). */
  setKeyCount(count: number): void;
  sign(claims: Record<string, unknown>): string;
  close(): Promise<void>;
}

interface Pair {
  kid: string;
  privateKey: KeyObject;
  jwk: Record<string, unknown>;
}

async function makePair(index: number): Promise<Pair> {
  const { privateKey, publicKey } = await generate('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: `bench_key_${String(index).padStart(2, '0')}`, alg: 'RS256', use: 'sig' };
  return { kid: jwk.kid, privateKey, jwk };
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Starts a JWKS server with up to `maxKeys` RSA-2048 keys on 127.0.0.1. */
export async function startKeyServer(maxKeys: number, clientId = 'client_bench'): Promise<KeyServer> {
  const pairs = await Promise.all(Array.from({ length: maxKeys }, (_, index) => makePair(index)));
  const signer = pairs.at(-1)!;
  let served = 1;
  const server: Server = createServer((request, response) => {
    if (request.url !== `/sso/jwks/${clientId}`) {
      response.writeHead(404).end();
      return;
    }
    const keys = pairs.slice(pairs.length - served).map((pair) => pair.jwk);
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    clientId,
    setKeyCount(count) {
      served = Math.min(Math.max(count, 1), pairs.length);
    },
    sign(claims) {
      const input = `${b64({ alg: 'RS256', kid: signer.kid, typ: 'JWT' })}.${b64(claims)}`;
      return `${input}.${sign('sha256', Buffer.from(input), signer.privateKey).toString('base64url')}`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** WorkOS-shaped access token claims with `permissionCount` permissions. */
export function workosClaims(options: { issuer: string; clientId: string; userId: string; serial: number; permissionCount: number }): Record<string, unknown> {
  const iat = Math.floor(Date.now() / 1000);
  const permissions = Array.from({ length: options.permissionCount }, (_, index) => `resource_${index}:${index % 2 ? 'write' : 'read'}`);
  return {
    iss: options.issuer,
    aud: options.clientId,
    sub: options.userId,
    sid: `session_01BENCH${String(options.serial).padStart(19, '0')}`,
    jti: `01BENCHJTI${String(options.serial).padStart(16, '0')}`,
    org_id: 'org_01BENCH0000000000000000000',
    role: 'admin',
    roles: ['admin'],
    permissions,
    entitlements: ['audit-logs'],
    feature_flags: ['new-dashboard'],
    iat,
    exp: iat + 3600,
  };
}
