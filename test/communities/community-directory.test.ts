import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CommunityDirectory } from '../../src/communities/community-directory';
import { DirectoryError, parseDirectory } from '../../src/communities/parse-directory';
import { runGatewayToExit } from '../support/gateway-process';

const A = 'urn:oid:1.2.203.99.1';
const B = 'urn:oid:1.2.203.99.2';

const entry = (over: Record<string, unknown> = {}) => ({
  name: 'Nemocnice Sever',
  xca: { queryUrl: 'https://sever.example/xca/responding-gateway', retrieveUrl: 'https://sever.example/xca/responding-gateway' },
  ...over,
});

const waitFor = async (what: string, cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('community directory', () => {
  let dir = '';
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'communities-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads entries with their endpoints, TLS files, auth and timeout (default 10 s)', () => {
    const ca = path.join(dir, 'ca.pem');
    fs.writeFileSync(ca, 'not checked here');
    const secret = path.join(dir, 'secret');
    const parsed = parseDirectory(JSON.stringify({
      $comment: 'two communities',
      [A]: entry({ tls: { caFile: ca }, auth: { type: 'client-credentials', tokenUrl: 'https://idp.example/token', clientId: 'gw', clientSecretFile: secret, scope: 'xca' }, timeoutMs: 2500 }),
      [B]: { name: 'Jih', mhd: { baseUrl: 'https://jih.example/fhir' }, auth: { type: 'saml-forward' } },
    }));
    assert.deepEqual([...parsed.keys()], [A, B]);
    const a = parsed.get(A)!;
    assert.equal(a.timeoutMs, 2500);
    assert.deepEqual(a.auth, { type: 'client-credentials', tokenUrl: 'https://idp.example/token', clientId: 'gw', clientSecretFile: secret, scope: 'xca' });
    assert.deepEqual(a.tls, { caFile: ca });
    assert.equal(String(a.tlsOptions.ca), 'not checked here');
    assert.equal(a.tlsOptions.rejectUnauthorized, true);
    const b = parsed.get(B)!;
    assert.equal(b.timeoutMs, 10_000);
    assert.equal(b.xca, undefined);
    assert.deepEqual(b.mhd, { baseUrl: 'https://jih.example/fhir' });
    assert.deepEqual(b.auth, { type: 'saml-forward' });
    assert.deepEqual(parsed.get(A) && parseDirectory(JSON.stringify({ [A]: entry() })).get(A)!.auth, { type: 'none' });
  });

  it('reads a foreign NCP entry (eHDSI country and XCPD endpoint)', () => {
    const parsed = parseDirectory(JSON.stringify({ [A]: entry({ name: 'NCP Austria', ehdsi: { country: 'AT', xcpdUrl: 'https://ncp.at/xcpd' } }), [B]: entry() }));
    assert.deepEqual(parsed.get(A)!.ehdsi, { country: 'AT', xcpdUrl: 'https://ncp.at/xcpd' });
    assert.equal(parsed.get(B)!.ehdsi, undefined);
  });

  const bad: Array<[string, unknown, RegExp]> = [
    ['a key that is no homeCommunityId', { '1.2.3': entry() }, /"1\.2\.3" is not a homeCommunityId/],
    ['no endpoint', { [A]: { name: 'x' } }, /"urn:oid:1\.2\.203\.99\.1"\.xca or \.mhd must be given/],
    ['a bad query URL', { [A]: entry({ xca: { queryUrl: 'ftp://x', retrieveUrl: 'https://x' } }) }, /\.xca\.queryUrl must be an http\(s\) URL/],
    ['a missing retrieve URL', { [A]: entry({ xca: { queryUrl: 'https://x' } }) }, /\.xca\.retrieveUrl must be a non-empty string/],
    ['no name', { [A]: { xca: entry().xca } }, /\.name must be a non-empty string/],
    ['an unknown auth type', { [A]: entry({ auth: { type: 'kerberos' } }) }, /\.auth\.type must be none, client-credentials or saml-forward/],
    ['client-credentials without tokenUrl', { [A]: entry({ auth: { type: 'client-credentials', clientId: 'x', clientSecretFile: '/x' } }) }, /\.auth\.tokenUrl must be/],
    ['a TLS file that does not exist', { [A]: entry({ tls: { caFile: '/nonexistent/ca.pem' } }) }, /\.tls is unusable: .*caFile \/nonexistent\/ca\.pem/],
    ['a certificate without its key', { [A]: entry({ tls: { certFile: '/etc/hostname' } }) }, /\.tls is unusable: .*certFile and keyFile go together/],
    ['a bad timeout', { [A]: entry({ timeoutMs: -5 }) }, /\.timeoutMs must be a positive integer/],
    ['a misspelt field', { [A]: entry({ timeout: 5 }) }, /\.timeout is not a known field/],
    ['not an object', [entry()], /must be a JSON object/],
    ['an eHDSI NCP with a country that is no ISO code', { [A]: entry({ ehdsi: { country: 'Austria', xcpdUrl: 'https://ncp.at/xcpd' } }) }, /\.ehdsi\.country must be an ISO 3166 alpha-2 code/],
    ['an eHDSI NCP without its XCPD URL', { [A]: entry({ ehdsi: { country: 'AT' } }) }, /\.ehdsi\.xcpdUrl must be a non-empty string/],
    ['an eHDSI NCP without XCA endpoints', { [A]: { name: 'NCP AT', ehdsi: { country: 'AT', xcpdUrl: 'https://ncp.at/xcpd' } } }, /\.xca must be given for an eHDSI NCP/],
    ['an eHDSI NCP with an MHD server', { [A]: entry({ mhd: { baseUrl: 'https://ncp.at/fhir' }, ehdsi: { country: 'AT', xcpdUrl: 'https://ncp.at/xcpd' } }) }, /\.mhd cannot be given for an eHDSI NCP/],
    ['an eHDSI NCP with another authentication', { [A]: entry({ auth: { type: 'saml-forward' }, ehdsi: { country: 'AT', xcpdUrl: 'https://ncp.at/xcpd' } }) }, /\.auth\.type must be none for an eHDSI NCP/],
  ];
  for (const [what, json, message] of bad) {
    it(`refuses ${what}, naming the field`, () => {
      assert.throws(() => parseDirectory(JSON.stringify(json)), (err: unknown) => err instanceof DirectoryError && message.test(err.message));
    });
  }

  it('load() names the file in its error; a reload of a bad file keeps the directory in use', () => {
    const file = path.join(dir, 'communities.json');
    fs.writeFileSync(file, '{ not json');
    assert.throws(() => CommunityDirectory.load(file), (err: unknown) => err instanceof DirectoryError && err.message.startsWith(`COMMUNITIES_FILE ${file}: is not JSON`));
    fs.writeFileSync(file, JSON.stringify({ [A]: entry() }));
    const errors: unknown[] = [];
    const directory = CommunityDirectory.load(file, { ...silent, error: (o: unknown) => errors.push(o) });
    fs.writeFileSync(file, JSON.stringify({ [A]: entry({ timeoutMs: 0 }) }));
    assert.equal(directory.reload(), false);
    assert.equal(errors.length, 1);
    assert.equal(directory.snapshot().version, 1);
    assert.equal(directory.get(A)!.timeoutMs, 10_000);
  });

  it('reloads without a restart when the file is replaced, and on SIGHUP', async function () {
    const file = path.join(dir, 'communities.json');
    fs.writeFileSync(file, JSON.stringify({ [A]: entry() }));
    const directory = CommunityDirectory.load(file, silent);
    directory.watch();
    try {
      const seen: number[] = [];
      directory.onChange((s) => seen.push(s.version));
      const next = path.join(dir, 'next.json');
      fs.writeFileSync(next, JSON.stringify({ [A]: entry(), [B]: entry({ name: 'Jih' }) }));
      fs.renameSync(next, file);
      await waitFor('reload after rename', () => directory.get(B) !== undefined);
      assert.equal(directory.get(B)!.name, 'Jih');

      fs.writeFileSync(file, JSON.stringify({ [B]: entry({ name: 'Jih 2' }) }));
      process.kill(process.pid, 'SIGHUP');
      await waitFor('reload on SIGHUP or change', () => directory.get(A) === undefined);
      assert.equal(directory.get(B)!.name, 'Jih 2');
      assert.ok(seen.length >= 2 && seen.every((v, i) => i === 0 || v > seen[i - 1]!), `versions ${seen}`);
    } finally {
      directory.close();
    }
  });
});

describe('COMMUNITIES_FILE at start', () => {
  it('a bad directory stops the gateway before it starts anything, naming the entry and field', async function () {
    this.timeout(30_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'communities-start-'));
    try {
      const file = path.join(dir, 'communities.json');
      fs.writeFileSync(file, JSON.stringify({ [A]: entry({ timeoutMs: 'soon' }) }));
      const { code, output } = await runGatewayToExit({ COMMUNITIES_FILE: file, DATA_DIR: path.join(dir, 'data'), HOST: '127.0.0.1', PORT: '0' });
      assert.equal(code, 1);
      assert.match(output, /COMMUNITIES_FILE .*communities\.json: "urn:oid:1\.2\.203\.99\.1"\.timeoutMs must be a positive integer/);
      assert.equal(fs.existsSync(path.join(dir, 'data')), false, 'a store was started');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
