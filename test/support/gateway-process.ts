// Starts the real gateway (dist/src/main.js) as a child process on a free loopback port.
import { spawn, type ChildProcess } from 'node:child_process';
import https from 'node:https';
import { mkdtemp } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface GatewayProcess {
  baseUrl: string;
  child: ChildProcess;
  output: () => string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const MAIN = path.resolve(__dirname, '..', '..', 'src', 'main.js');
/** GATEWAY_NODE_ARGS, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`: node options for the gateway process (profiling a benchmark). */
const NODE_ARGS = (process.env.GATEWAY_NODE_ARGS ?? '').split(' ').filter(Boolean);

/** HTTPS: the CA that signed the gateway's certificate, and the client certificate to present (mutual TLS). */
export interface GatewayTlsClient {
  ca: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

function httpsUp(url: string, tls: GatewayTlsClient): Promise<boolean> {
  return new Promise((resolve) => {
    https.get(url, { ca: tls.ca, ...(tls.cert ? { cert: tls.cert, key: tls.key } : {}) }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    }).on('error', () => resolve(false));
  });
}

/** `main`: another entry script than dist/src/main.js (a benchmark's variant of the gateway). */
/** The gateway's entry script, for tests that check who can reach it. */
export const GATEWAY_MAIN = MAIN;

/** `user`: run the gateway as this account (a root test process only), as an operator's service unit would. */
/** `env.PORT`: a port chosen before (a peer's configuration names it, or a restart keeps it); default a free one. */
export async function startGateway(env: Record<string, string> = {}, tls?: GatewayTlsClient, main = MAIN, user?: { uid: number; gid: number }): Promise<GatewayProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const dataDir = env.DATA_DIR ?? (await mkdtemp(path.join(os.tmpdir(), 'hie-gw-')));
  const child = spawn(process.execPath, [...NODE_ARGS, main], {
    ...(user ?? {}),
    // RATE_LIMIT off unless a test sets it: load tests are one client firing faster than one client may.
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info', RATE_LIMIT: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const baseUrl = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode}: ${out}`);
    const up = tls ? await httpsUp(`${baseUrl}/health`, tls) : await fetch(`${baseUrl}/health`).then((r) => r.ok, () => false);
    if (up) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`gateway did not start: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    baseUrl,
    child,
    output: () => out,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs the gateway expecting it to refuse to start; resolves with exit code and output. */
export function runGatewayToExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => resolve({ code, output: out }));
  });
}

/**
 * The pids of the processes answering /health, asked on a new connection each time (the
 * primary deals connections out round-robin) until `expected` have answered or the deadline
 * passes: with WORKERS > 1 a worker that is still starting on a busy machine answers late.
 */
export async function servingPids(baseUrl: string, expected: number, timeoutMs = 20_000): Promise<Set<number>> {
  const pids = new Set<number>();
  const deadline = Date.now() + timeoutMs;
  while (pids.size < expected && Date.now() < deadline) {
    // A worker killed by the caller may drop a connection: that answer simply does not count.
    const r = await fetch(`${baseUrl}/health`, { headers: { connection: 'close' } }).catch(() => undefined);
    if (r?.ok) pids.add(((await r.json()) as { pid: number }).pid);
    if (pids.size < expected) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return pids;
}
