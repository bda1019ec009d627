// A throwaway redis-server on a free port (no persistence), for tests that kill Redis and
// bring it back on the same port; never the machine's shared one on 6379.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { freePort } from './gateway-process';
import { needBinary } from './required-binary';

export interface RedisProcess {
  url: string;
  /** SIGKILL: connections drop without a goodbye. */
  kill(): Promise<void>;
  start(): Promise<void>;
}

/** Call inside a mocha `before`: redis-server's path, or skip (fail under CI). */
export function needRedisServer(ctx: Mocha.Context): string {
  return needBinary(ctx, 'redis-server', ['redis-server']);
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(500, () => socket.destroy());
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (d) => {
      socket.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
    socket.once('close', () => resolve(false));
    socket.once('error', () => resolve(false));
  });
}

export async function startRedis(binary: string): Promise<RedisProcess> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const deadline = Date.now() + 15_000;
    while (!(await answersPing(port))) {
      if (Date.now() > deadline) throw new Error(`redis-server did not start on port ${port}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    start,
    async kill() {
      const c = child;
      if (!c || c.exitCode !== null) return;
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGKILL');
      await exited;
    },
  };
}
