// The README's "First steps" block, run as written against a fresh gateway: the shell
// between the walkthrough markers, with GATEWAY pointing at the gateway this test starts.
// Each step prints one kind of line; the assertions read them.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startGateway, type GatewayProcess } from '../support/gateway-process';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const run = promisify(execFile);

/** The shell of every fenced block between `<!-- walkthrough:begin -->` and `<!-- walkthrough:end -->`. */
function walkthroughScript(readme: string): string {
  const m = /<!-- walkthrough:begin -->([\s\S]*?)<!-- walkthrough:end -->/.exec(readme);
  assert.ok(m, 'README.md marks its walkthrough');
  const blocks = [...m[1]!.matchAll(/```sh\n([\s\S]*?)```/g)].map((b) => b[1]!);
  assert.ok(blocks.length > 0, 'the walkthrough holds a sh block');
  return blocks.join('\n');
}

describe('README walkthrough (feed, publish, find, read, audit trail, ITI-18)', function () {
  this.timeout(120_000);
  let gw: GatewayProcess;
  let dataDir: string;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'hie-readme-'));
    gw = await startGateway({ DATA_DIR: dataDir });
  });
  after(async () => {
    await gw?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('runs as written and each step answers what the README says', async () => {
    const script = walkthroughScript(await readFile(path.join(ROOT, 'README.md'), 'utf8'));
    assert.match(script, /GATEWAY=\$\{GATEWAY:-http:\/\/127\.0\.0\.1:8080\}/, 'the block defaults to the README address');
    const { stdout } = await run('bash', ['-e', '-o', 'pipefail', '-c', script], { cwd: ROOT, env: { ...process.env, GATEWAY: gw.baseUrl } });
    const lines = stdout.split('\n');
    assert.match(lines.find((l) => l.startsWith('fed Patient/')) ?? '', /^fed Patient\/[A-Za-z0-9.-]{1,64}$/, stdout);
    const published = lines.filter((l) => l.startsWith('published 201 Created'));
    assert.deepEqual(published.map((l) => l.split(' ')[3]!.replace(/\/.*$/, '').replace(/^http.*/, 'Binary')), ['List', 'DocumentReference', 'Binary'], stdout);
    assert.match(lines.find((l) => l.startsWith('found ')) ?? '', new RegExp(`^found ${gw.baseUrl}/fhir/Binary/2\\.25\\.88444233950469054314602514457535433471\\?`), stdout);
    assert.ok(lines.includes('Výsledek vyšetření krevního obrazu: bez patologického nálezu.'), stdout);
    const audited = lines.filter((l) => l.startsWith('audit ')).map((l) => l.split(' ')[1]);
    for (const t of ['ITI-104', 'ITI-65', 'ITI-67', 'ITI-68']) assert.ok(audited.includes(t), `the audit trail shows ${t}: ${stdout}`);
    assert.ok(lines.includes('ITI-18 found document uniqueId "2.25.88444233950469054314602514457535433471"'), stdout);
  });
});
