// `npm run bench`: every benchmark scenario in turn, each in a process of its own (they start
// gateways and load stores; one process each keeps their memory figures apart). A scenario
// that fails is reported and the rest still run; the exit code says whether all passed.
// BENCH_ONLY=name,name runs a subset; the other BENCH_* settings pass through to each.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const SCENARIOS = [
  'registry-submit', 'find-documents', 'blob-stream',
  'mhd-iti65', 'mhd-iti67', 'mhd-iti67-tokens', 'mhd-iti68', 'mhd-iti68-small',
  'xds-iti41', 'xds-iti18', 'xds-iti43', 'xds-memory', 'heavy-input',
  'audit-forward', 'audit-overhead', 'audit-overhead-http',
  'embedded-store', 'subscriptions',
  'xca-fanout', 'xca-remote-retrieve', 'xca-initiating-retrieve', 'ehdsi-assertions',
];

const only = (process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const failed: string[] = [];
for (const name of only.length > 0 ? only : SCENARIOS) {
  if (!SCENARIOS.includes(name)) throw new Error(`unknown scenario ${name}; known: ${SCENARIOS.join(', ')}`);
  console.log(`\n=== ${name}`);
  const run = spawnSync(process.execPath, [path.join(__dirname, `${name}.js`)], { stdio: 'inherit' });
  if (run.status !== 0) failed.push(name);
}
if (failed.length > 0) {
  console.error(`\nfailed: ${failed.join(', ')}`);
  process.exit(1);
}
