// A throwaway Mosquitto broker on a free loopback port, with persistence in a temporary
// directory (a clean:false subscriber's session and queued messages survive a restart), for
// tests that stop the broker and bring it back on the same port; never the machine's on 1883.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './gateway-process';
import { needBinary } from './required-binary';

export interface MosquittoProcess {
  url: string;
  /** SIGTERM: the broker saves its sessions and exits. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** SIGSTOP / SIGCONT: the broker keeps its connections open but answers nothing. */
  freeze(): void;
  thaw(): void;
  remove(): Promise<void>;
}

export function needMosquitto(ctx: Mocha.Context): string {
  return needBinary(ctx, 'mosquitto', ['mosquitto', '/usr/sbin/mosquitto']);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startMosquitto(binary: string): Promise<MosquittoProcess> {
  const port = await freePort();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mosquitto-'));
  const config = path.join(dir, 'mosquitto.conf');
  await writeFile(config, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location ${dir}/\n`);
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(binary, ['-c', config], { stdio: 'ignore' });
    const deadline = Date.now() + 15_000;
    while (!(await accepts(port))) {
      if (Date.now() > deadline) throw new Error(`mosquitto did not start on port ${port}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const stop = async () => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    url: `mqtt://127.0.0.1:${port}`,
    start,
    stop,
    freeze: () => child?.kill('SIGSTOP'),
    thaw: () => child?.kill('SIGCONT'),
    async remove() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
