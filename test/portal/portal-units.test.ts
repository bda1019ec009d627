// The portal's pieces without a browser: configuration, sessions and their expiry, the row an
// audit event becomes, and the CSV (formula-safe) and print exports.
import assert from 'node:assert/strict';
import { buildAuditEvent } from '../../src/audit/build-audit-event';
import { Outcome } from '../../src/audit/audit-input';
import { trailCsv, trailPrintHtml } from '../../src/portal/exports';
import { eventRow } from '../../src/portal/event-row';
import { parsePortalConfig } from '../../src/portal/portal-config';
import { SessionStore } from '../../src/portal/sessions';
import type { TrailRow } from '../../src/portal/trail-row';
import { CONTEXT } from '../audit/support/fixtures';

const oauth = { issuers: [{ issuer: 'https://idp.example' }], audiences: ['urn:gw'] };

describe('portal configuration', () => {
  it('is off without PORTAL_CLIENT_ID, and complete or refused with it', () => {
    assert.equal(parsePortalConfig({}, oauth), undefined);
    assert.throws(() => parsePortalConfig({ PORTAL_CLIENT_ID: 'p' }, undefined), /OAUTH_ISSUERS/);
    assert.throws(() => parsePortalConfig({ PORTAL_CLIENT_ID: 'p', PORTAL_CLIENT_SECRET: 's' }, oauth), /PORTAL_REDIRECT_URL/);
    assert.throws(() => parsePortalConfig({ PORTAL_CLIENT_ID: 'p', PORTAL_CLIENT_SECRET: 's', PORTAL_REDIRECT_URL: 'https://gw/elsewhere' }, oauth), /\/portal\/callback/);
    assert.throws(() => parsePortalConfig({ PORTAL_CLIENT_ID: 'p', PORTAL_CLIENT_SECRET: 's', PORTAL_REDIRECT_URL: 'https://gw/portal/callback', PORTAL_ISSUER: 'https://other' }, oauth), /not one of OAUTH_ISSUERS/);
    const complete = { PORTAL_CLIENT_ID: 'p', PORTAL_CLIENT_SECRET: 's', PORTAL_REDIRECT_URL: 'https://gw/portal/callback' };
    assert.throws(() => parsePortalConfig(complete, oauth, 4), /WORKERS=1/);
    const c = parsePortalConfig(complete, oauth)!;
    assert.equal(c.issuer, 'https://idp.example');
    assert.equal(c.resource, 'urn:gw');
    assert.equal(c.sessionSeconds, 1800);
  });
});

describe('portal sessions', () => {
  it('end after idle time, never after their hard end, and keep a bounded number of views', () => {
    let now = 1_000_000;
    const store = new SessionStore(60_000, () => now);
    const s = store.create(now + 90_000)!;
    assert.equal(s.id.length, 43);
    now += 50_000;
    assert.equal(store.get(s.id), s, 'activity within the idle time keeps it');
    now += 30_000;
    assert.equal(store.get(s.id), s, 'still before the hard end');
    now += 10_001;
    assert.equal(store.get(s.id), undefined, 'the hard end (token expiry) is not extended by activity');
    const t = store.create()!;
    now += 60_000;
    assert.equal(store.get(t.id), undefined, 'idle for the whole idle time');
    const u = store.create()!;
    for (let i = 0; i < 60; i++) store.addView(u, `v${i}`, 'x');
    assert.equal(u.views.size, 50);
    assert.ok(!u.views.has('v0') && u.views.has('v59'));
    assert.equal(store.get(undefined), undefined);
    assert.equal(store.get('forged'), undefined);
  });
});

describe('portal rows and exports', () => {
  const ctx = CONTEXT;
  const event = buildAuditEvent(
    {
      transaction: 'ITI-68',
      outcome: Outcome.MinorFailure,
      patientId: '123^^^&1.2.3&ISO',
      documents: [{ uniqueId: '1.2.3.4' }],
      principal: {
        subject: 'dr-1',
        displayName: 'MUDr. Jana Nováková',
        organization: { id: '27520536', name: 'Nemocnice Na Kraji' },
        role: { code: '223', scheme: 'urn:roles', display: 'lékař' },
        purposeOfUse: [{ code: 'EMER', scheme: 'https://hl7.cz/fhir/hie/CodeSystem/cz-purposeOfUse-cs' }],
        emergency: true,
        homeCommunityId: 'urn:oid:1.2.203.99',
      },
    },
    ctx,
  );

  it('reads who, what, from where and why out of the audit record, EMER and failure flagged', () => {
    const row = eventRow(event, (id) => (id === 'urn:oid:1.2.203.99' ? 'Krajská síť' : undefined));
    assert.equal(row.kind, 'ATC_DOC_READ');
    assert.equal(row.transaction, 'ITI-68');
    assert.equal(row.person, 'MUDr. Jana Nováková');
    assert.equal(row.role, 'lékař');
    assert.deepEqual(row.organization, { id: '27520536', name: 'Nemocnice Na Kraji' });
    assert.deepEqual(row.purposes, ['EMER']);
    assert.equal(row.emergency, true);
    assert.equal(row.failed, true);
    assert.deepEqual(row.documents, ['urn:oid:1.2.3.4']);
  });

  it('writes CSV a spreadsheet reads safely, and escapes the print view', () => {
    const row: TrailRow = { id: '1', recorded: '2026-03-01T10:00:00Z', kind: 'ATC_DOC_READ', person: '=HYPERLINK("x")', organization: { id: 'o', name: 'A, "B"' }, purposes: ['EMER'], emergency: true, failed: false, documents: [] };
    const csv = trailCsv([row], 'cs');
    assert.ok(csv.startsWith('\uFEFFKdy,Co,Kdo,Role,Organizace,Odkud,Účel,Výsledek\r\n'));
    const line = csv.split('\r\n')[1]!;
    assert.ok(line.includes(`"'=HYPERLINK(""x"")"`), line);
    assert.ok(line.includes('"A, ""B"""'), line);
    assert.ok(line.includes('1. 3. 2026 11:00'), line);
    const html = trailPrintHtml([{ ...row, person: '<script>x</script>' }], 'en', 'Eva', new Date('2026-03-02T00:00:00Z'));
    assert.ok(!html.includes('<script>x'));
    assert.ok(html.includes('EMERGENCY ACCESS'));
  });
});
