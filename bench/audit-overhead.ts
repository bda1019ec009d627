// What auditing costs a registry submission: the same one-document submissions with and
// without their audit record (event + outbox rows for two repositories) in the same
// statement, alternating rounds so drift hits both alike. The budget: at most 10%.
// Env: BENCH_STORE=postgres|pglite, BENCH_SECONDS per round (default 5), BENCH_ROUNDS (3), BENCH_CONCURRENCY (16).
import { AuditTrail } from '../src/audit/audit-trail';
import { loadConfig } from '../src/config';
import { SYSTEM_PRINCIPAL } from '../src/domain/principal';
import { Registry } from '../src/registry/registry';
import { SqlRegistryStore } from '../src/store/sql/registry/sql-registry-store';
import { CONTEXT, createInput } from '../test/audit/support/fixtures';
import { sqlAuditEvents } from '../test/audit/support/stores';
import { documentEntry, patientCx, submission } from '../test/support/metadata-builders';
import { benchStore, openBenchDatabase, runClosedLoop, writeResult } from './support';

async function main(): Promise<void> {
  const store = benchStore();
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
  const { db, drop } = await openBenchDatabase(store, concurrency + 2);
  try {
    const config = loadConfig({ AUTH: 'off' });
    const registry = Registry.fromConfig(new SqlRegistryStore(db), config);
    const trail = new AuditTrail({ ...CONTEXT, patientIdSystems: config.profile.patientIdSystems }, ['arr-tls', 'arr-fhir'], sqlAuditEvents(db));
    const patients = Array.from({ length: 1000 }, () => patientCx());
    for (const p of patients) await registry.registerPatient(p);

    const submitOne = (audited: boolean) => async (worker: number, i: number) => {
      const p = patients[(worker * 7919 + i) % patients.length]!;
      const s = submission(p, { documents: [documentEntry(p)] });
      const r = await registry.submit(s, SYSTEM_PRINCIPAL, {
        ...(audited
          ? {
              extraRows: (registered) =>
                trail.rows(
                  createInput({
                    patientId: p,
                    submissionSet: { uniqueId: registered.submissionSet.uniqueId, entryUuid: registered.submissionSet.entryUuid },
                    documents: registered.documents.map((d) => ({ uniqueId: d.uniqueId, entryUuid: d.entryUuid, repositoryUniqueId: d.repositoryUniqueId })),
                  }),
                ),
            }
          : {}),
      });
      if (r.status !== 'Success') throw new Error(JSON.stringify(r.errors));
    };
    await runClosedLoop(concurrency, 2000, submitOne(true)); // warm-up
    const totals = { plain: { n: 0, ms: 0 }, audited: { n: 0, ms: 0 } };
    for (let round = 0; round < rounds; round++) {
      for (const mode of ['plain', 'audited'] as const) {
        const { latenciesMs, elapsedMs } = await runClosedLoop(concurrency, seconds * 1000, submitOne(mode === 'audited'));
        totals[mode].n += latenciesMs.length;
        totals[mode].ms += elapsedMs;
      }
    }
    const rate = (t: { n: number; ms: number }) => Math.round((t.n / t.ms) * 1000);
    const plain = rate(totals.plain);
    const audited = rate(totals.audited);
    const result = {
      scenario: 'audit-overhead',
      store,
      concurrency,
      what: 'Registry.submit of one-document submission sets, without and with the audit event + 2 outbox rows in the same statement',
      plainPerSecond: plain,
      auditedPerSecond: audited,
      overheadPercent: Math.round(((plain - audited) / plain) * 1000) / 10,
      target: '<= 10% (issue: ITI-65/ITI-41 throughput)',
    };
    console.log(JSON.stringify(result, null, 2));
    console.log('written to', await writeResult(`audit-overhead-${store}`, result));
  } finally {
    await drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
