// Integration tests run against real PostgreSQL and Redis. On a developer machine
// without them those suites skip; in CI (CI=true or REQUIRE_SERVICES=1) a missing
// service fails the run instead, so nothing that should run is silently skipped.
import net from 'node:net';

export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Whether a missing service fails the run instead of skipping (CI=true or REQUIRE_SERVICES=1). */
export const SERVICES_REQUIRED = process.env.CI === 'true' || process.env.REQUIRE_SERVICES === '1';

function reachable(url: string, defaultPort: number): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname, port: Number(u.port || defaultPort) });
    socket.setTimeout(1000);
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
    socket.once('error', () => resolve(false));
  });
}

/** Call inside a mocha `before`: skips the suite when the service is down, unless services are required. */
export async function needService(ctx: Mocha.Context, name: 'postgres' | 'redis'): Promise<string> {
  const url = name === 'postgres' ? POSTGRES_URL : REDIS_URL;
  if (await reachable(url, name === 'postgres' ? 5432 : 6379)) return url;
  if (SERVICES_REQUIRED) throw new Error(`${name} is required (CI or REQUIRE_SERVICES=1) but not reachable at ${url}`);
  ctx.skip();
  return url;
}
