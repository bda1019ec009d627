// The benchmarks' baseline and CPU figures: /proc/<pid>/stat and pgbench output parsed right,
// ticks turned into milliseconds, ratios and CPU per request computed from what was measured.
import assert from 'node:assert/strict';
import { machineInfo, parsePgbenchTps, ratio } from '../../bench/baseline';
import { parseStat, ticksToMs, treeTicks } from '../../bench/cpu-usage';
import { cpuPerRequest, meterLoad, takeMeteredLoad } from '../../bench/load-meter';

describe('bench: baselines and CPU per request', () => {
  it('parseStat reads ppid and the CPU fields after a command name holding spaces and parentheses', () => {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime ...
    const line = '4242 (node (worker) x) S 17 4242 4242 0 -1 4194560 900 0 0 0 250 50 30 20 20 0 11 0 12345 0 0\n';
    assert.deepEqual(parseStat(line), { ppid: 17, own: 300, reaped: 50 });
    assert.throws(() => parseStat('garbage'), /not a \/proc/);
  });

  it('ticks become milliseconds at the clock rate', () => {
    assert.equal(ticksToMs(1000, 1250, 100), 2500);
    assert.equal(ticksToMs(0, 3, 250), 12);
  });

  it("this process's own tree has CPU ticks that grow", () => {
    const before = treeTicks(process.pid);
    const end = Date.now() + 50;
    while (Date.now() < end); // burn a few ticks
    assert.ok(treeTicks(process.pid) > before);
    assert.equal(treeTicks(2 ** 22 + 7), 0, 'a process that does not exist counts nothing');
  });

  it("parsePgbenchTps takes pgbench's tps line", () => {
    const out = 'number of failed transactions: 0 (0.000%)\nlatency average = 14.586 ms\ntps = 1096.945542 (without initial connection time)\n';
    assert.equal(parsePgbenchTps(out), 1096.945542);
    assert.equal(parsePgbenchTps('pgbench: error: connection failed'), undefined);
  });

  it('ratio: three significant digits, none without a baseline', () => {
    assert.equal(ratio(225, 22611), 0.00995);
    assert.equal(ratio(2000, 1000), 2);
    assert.equal(ratio(100, null), undefined);
    assert.equal(ratio(undefined, 5), undefined);
  });

  it('machineInfo takes the model from cpuinfo, the cores and the Node version', () => {
    const info = machineInfo('processor\t: 0\nmodel name\t: AMD EPYC 7B13\n');
    assert.equal(info.cpuModel, 'AMD EPYC 7B13');
    assert.ok(info.cores >= 1);
    assert.equal(info.node, process.version);
  });

  it('meterLoad accumulates requests and CPU until taken; cpuPerRequest divides', async () => {
    takeMeteredLoad();
    await meterLoad(async () => ({ requests: 10, seconds: 1 }));
    await meterLoad(async () => ({ requests: 30, seconds: 2 }));
    const taken = takeMeteredLoad();
    assert.equal(taken.requests, 40);
    assert.equal(taken.seconds, 3);
    assert.equal(takeMeteredLoad().requests, 0, 'taking starts afresh');
    assert.deepEqual(cpuPerRequest({ requests: 4, seconds: 1, gatewayCpuMs: 10, postgresCpuMs: 2 }), { gatewayMs: 2.5, postgresMs: 0.5, totalMs: 3 });
    assert.equal(cpuPerRequest({ requests: 0, seconds: 0, gatewayCpuMs: 5, postgresCpuMs: 0 }), undefined);
  });
});
