// A real rsyslogd (Debian's, with rsyslog-gnutls) run by the test: foreground, its own
// config, pid file and work directory, TLS syslog (RFC 5425) on a free loopback port,
// every received message written as one JSON line (PRI, header fields, raw message).
//
// Like test/support/services.ts: without rsyslogd a developer machine skips these
// suites; CI (CI=true or REQUIRE_SERVICES=1) fails instead.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../support/gateway-process';

const required = process.env.CI === 'true' || process.env.REQUIRE_SERVICES === '1';
const CANDIDATES = [process.env.RSYSLOGD, '/usr/sbin/rsyslogd', '/sbin/rsyslogd'].filter((p): p is string => !!p);
const GTLS_MODULES = ['/usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so', '/usr/lib/aarch64-linux-gnu/rsyslog/lmnsd_gtls.so', '/usr/lib/rsyslog/lmnsd_gtls.so'];

export function findRsyslogd(): string | undefined {
  const bin = CANDIDATES.find((p) => existsSync(p));
  // rsyslogd without rsyslog-gnutls can't speak TLS: treat as missing.
  return bin && GTLS_MODULES.some((m) => existsSync(m)) ? bin : undefined;
}

/** Call inside a mocha `before`: skips the suite when rsyslogd (with gnutls) is missing, unless services are required. */
export function needRsyslog(ctx: Mocha.Context): string {
  const bin = findRsyslogd();
  if (bin) return bin;
  if (required) throw new Error('rsyslogd with rsyslog-gnutls is required (CI or REQUIRE_SERVICES=1) but not installed');
  ctx.skip();
  return '';
}

export interface ReceivedSyslog {
  pri: string;
  appName: string;
  procId: string;
  msgId: string;
  hostname: string;
  /** The whole syslog message as received, after rsyslog removed the octet-count framing. */
  raw: string;
}

export interface RsyslogServer {
  port: number;
  dir: string;
  messages(): Promise<ReceivedSyslog[]>;
  waitForMessages(count: number, timeoutMs?: number): Promise<ReceivedSyslog[]>;
  /** Messages written so far, counted incrementally (cheap enough to poll during a benchmark). */
  count(): Promise<number>;
  waitForCount(count: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
  /** Output so far, for failure messages. */
  output(): string;
}

export interface RsyslogOptions {
  caFile: string;
  certFile: string;
  keyFile: string;
  /** 'anon': any client; 'x509/certvalid': clients must present a certificate signed by the CA. */
  authMode: 'anon' | 'x509/certvalid';
  port?: number;
}

function config(dir: string, port: number, o: RsyslogOptions): string {
  return `
global(
  workDirectory="${dir}/work"
  maxMessageSize="256k"
  defaultNetstreamDriver="gtls"
  defaultNetstreamDriverCAFile="${o.caFile}"
  defaultNetstreamDriverCertFile="${o.certFile}"
  defaultNetstreamDriverKeyFile="${o.keyFile}"
)
module(load="imtcp" streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="${o.authMode}")
input(type="imtcp" port="${port}" address="127.0.0.1")
template(name="audit" type="list") {
  constant(value="{")
  property(name="pri" format="jsonf" outname="pri") constant(value=",")
  property(name="app-name" format="jsonf" outname="appName") constant(value=",")
  property(name="procid" format="jsonf" outname="procId") constant(value=",")
  property(name="msgid" format="jsonf" outname="msgId") constant(value=",")
  property(name="hostname" format="jsonf" outname="hostname") constant(value=",")
  property(name="rawmsg" format="jsonf" outname="raw")
  constant(value="}\\n")
}
action(type="omfile" file="${dir}/messages.jsonl" template="audit")
`;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export async function startRsyslog(bin: string, options: RsyslogOptions): Promise<RsyslogServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rsyslog-'));
  await mkdir(path.join(dir, 'work'));
  const port = options.port ?? (await freePort());
  const conf = path.join(dir, 'rsyslog.conf');
  await writeFile(conf, config(dir, port, options));
  const child: ChildProcess = spawn(bin, ['-n', '-f', conf, '-i', path.join(dir, 'rsyslogd.pid')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const file = path.join(dir, 'messages.jsonl');
  const deadline = Date.now() + 15_000;
  while (!(await listening(port))) {
    if (child.exitCode !== null) throw new Error(`rsyslogd exited with ${child.exitCode}: ${out}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`rsyslogd did not listen on ${port}: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const messages = async (): Promise<ReceivedSyslog[]> => {
    const text = await readFile(file, 'utf8').catch(() => '');
    // rsyslogd may be half-way through writing the last line: only lines it has ended count.
    const complete = text.slice(0, text.lastIndexOf('\n') + 1);
    return complete.split('\n').filter(Boolean).map((l) => JSON.parse(l) as ReceivedSyslog);
  };
  let counted = 0;
  let offset = 0;
  const count = async (): Promise<number> => {
    const fh = await open(file, 'r').catch(() => undefined);
    if (!fh) return counted;
    try {
      const chunk = Buffer.alloc(1 << 20);
      for (;;) {
        const { bytesRead } = await fh.read(chunk, 0, chunk.length, offset);
        if (bytesRead === 0) return counted;
        offset += bytesRead;
        for (let i = 0; i < bytesRead; i++) if (chunk[i] === 0x0a) counted++;
      }
    } finally {
      await fh.close();
    }
  };
  const deadlineError = async (want: number) => new Error(`rsyslogd wrote ${await count()} of ${want} messages: ${out}`);
  return {
    port,
    dir,
    messages,
    count,
    async waitForCount(want, timeoutMs = 20_000) {
      const end = Date.now() + timeoutMs;
      while ((await count()) < want) {
        if (Date.now() > end) throw await deadlineError(want);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    async waitForMessages(count, timeoutMs = 20_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const got = await messages();
        if (got.length >= count) return got;
        if (Date.now() > end) throw await deadlineError(count);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
    output: () => out,
  };
}

/** `<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG` split back into its fields. */
export function parseSyslog5424(raw: string): { pri: number; version: string; timestamp: string; hostname: string; appName: string; procId: string; msgId: string; sd: string; msg: string } {
  const m = /^<(\d{1,3})>(\d) (\S+) (\S+) (\S+) (\S+) (\S+) (-|\[.*?\]) ?([\s\S]*)$/.exec(raw);
  if (!m) throw new Error(`not an RFC 5424 message: ${raw.slice(0, 120)}`);
  return { pri: Number(m[1]), version: m[2]!, timestamp: m[3]!, hostname: m[4]!, appName: m[5]!, procId: m[6]!, msgId: m[7]!, sd: m[8]!, msg: m[9]! };
}
