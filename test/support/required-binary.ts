// A test's external program (initdb, redis-server): found, or the suite skips on a developer
// machine and fails in CI (CI=true or REQUIRE_SERVICES=1), where nothing may skip silently.
import fs from 'node:fs';
import path from 'node:path';

const required = process.env.CI === 'true' || process.env.REQUIRE_SERVICES === '1';

/** The first of `candidates` that exists (absolute paths, or names looked up on PATH). */
export function findBinary(candidates: readonly string[]): string | undefined {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const c of candidates) {
    const paths = path.isAbsolute(c) ? [c] : dirs.map((d) => path.join(d, c));
    const found = paths.find((p) => fs.existsSync(p));
    if (found) return found;
  }
  return undefined;
}

/** Call inside a mocha `before`: the binary's path, or skip (fail when services are required). */
export function needBinary(ctx: Mocha.Context, what: string, candidates: readonly string[]): string {
  const found = findBinary(candidates);
  if (found) return found;
  if (required) throw new Error(`${what} is required (CI or REQUIRE_SERVICES=1) but none of ${candidates.join(', ')} exists`);
  ctx.skip();
}
