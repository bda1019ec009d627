/**
 * The page's data, all about the session's patient: a page load opens a view (its one
 * ATC_LOG_READ record), the other requests name that view.
 */
import { randomBytes } from 'node:crypto';
import type Router from '@koa/router';
import type Koa from 'koa';
import type { AuditTrail } from '../audit/audit-trail';
import { trailCsv, trailPrintHtml } from './exports';
import type { Lang } from './labels';
import type { PatientTrail, TrailFilter } from './patient-trail';
import type { PortalSessions } from './portal-sessions';
import { ACCESS_KINDS, type AccessKind } from './trail-row';

const langOf = (ctx: Koa.Context): Lang => (ctx.query.lang === 'en' ? 'en' : 'cs');
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function instant(v: unknown): string | undefined {
  const s = text(v);
  return s && !Number.isNaN(Date.parse(s)) ? new Date(s).toISOString() : undefined;
}

function filterOf(ctx: Koa.Context, to: string): TrailFilter {
  const kind = text(ctx.query.kind);
  const from = instant(ctx.query.from);
  const organization = text(ctx.query.org);
  return { to, ...(from ? { from } : {}), ...(kind && ACCESS_KINDS.includes(kind as AccessKind) ? { kind: kind as AccessKind } : {}), ...(organization ? { organization } : {}) };
}

export function trailRoutes(router: Router, sessions: PortalSessions, trail: PatientTrail, auditTrail: AuditTrail): void {
  const { store } = sessions;
  const viewOf = (ctx: Koa.Context) => sessions.viewOf(ctx);
  router.post('/api/views', async (ctx) => {
    const s = sessions.signedIn(ctx);
    if (!s) return sessions.signedOut(ctx);
    const to = new Date().toISOString();
    const view = randomBytes(16).toString('base64url');
    // The one ATC_LOG_READ record of this page load, written by the audit trail with the first page's search.
    const scope = auditTrail.scope({ transaction: 'ITI-81', principal: s.user.principal, endpoint: '/portal' });
    scope.note({ patientId: s.user.principal.patientId });
    const page = await trail.page(s.user, { to }, 0, scope);
    store.addView(s.session, view, to);
    ctx.body = {
      view,
      to,
      patient: { id: s.user.principal.patientId, ...(s.user.patientName ? { name: s.user.patientName } : {}) },
      ...(s.user.representative ? { representative: s.user.representative } : {}),
      kinds: ACCESS_KINDS,
      page,
    };
  });

  router.get('/api/trail', async (ctx) => {
    const v = viewOf(ctx);
    if (!v) return;
    const page = Math.max(0, Math.min(Number.parseInt(String(ctx.query.page ?? '0'), 10) || 0, 10_000));
    ctx.body = await trail.page(v.user, filterOf(ctx, v.to), page);
  });

  router.get('/api/summary', async (ctx) => {
    const v = viewOf(ctx);
    if (!v) return;
    ctx.body = await trail.summary(v.user, v.to);
  });

  router.get('/api/documents', async (ctx) => {
    const v = viewOf(ctx);
    if (!v) return;
    ctx.body = { documents: await trail.documents(v.user) };
  });

  router.get('/api/documents/:id/history', async (ctx) => {
    const v = viewOf(ctx);
    if (!v) return;
    const rows = await trail.documentHistory(v.user, ctx.params.id!, v.to);
    if (!rows) {
      ctx.status = 404;
      ctx.body = { error: 'unknown-document' };
      return;
    }
    ctx.body = { rows };
  });

  router.get('/export.csv', async (ctx) => {
    const v = viewOf(ctx);
    if (!v) return;
    const rows = await trail.all(v.user, filterOf(ctx, v.to));
    ctx.type = 'text/csv; charset=utf-8';
    ctx.set('Content-Disposition', `attachment; filename="pristupy-${v.to.slice(0, 10)}.csv"`);
    ctx.body = trailCsv(rows, langOf(ctx));
  });

  router.get('/print', async (ctx) => {
    const v = viewOf(ctx);
    if (!v) return;
    const rows = await trail.all(v.user, filterOf(ctx, v.to));
    ctx.type = 'html';
    // The print view has inline styles of its own.
    ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
    ctx.body = trailPrintHtml(rows, langOf(ctx), v.user.patientName ?? v.user.principal.patientId, new Date());
  });

}
