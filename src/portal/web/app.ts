/**
 * The patient's audit-trail page. One POST /portal/api/views per page load (the server writes
 * that load's ATC_LOG_READ record and answers the first page); every later request names the
 * view, so filtering, paging and document histories are not audited again.
 */
import { formatDay, formatWhen, KIND_LABELS, kindText, purposeText, TEXT, type Lang } from '../labels';
import type { PortalDocument } from '../portal-document';
import type { AccessKind, TrailRow } from '../trail-row';
import { accessChart } from './chart';
import { getJson, h, SignedOut } from './dom';
import { UI } from './i18n';

interface TrailPage {
  total: number;
  page: number;
  pageSize: number;
  rows: TrailRow[];
}
interface View {
  view: string;
  to: string;
  patient: { id: string; name?: string };
  representative?: { subject: string; name?: string };
  kinds: AccessKind[];
  page: TrailPage;
}
interface Summary {
  days: number;
  total: number;
  organizations: { id: string; name?: string }[];
  organizationsComplete: boolean;
  perDay: { day: string; count: number }[];
}

const state: {
  lang: Lang;
  view?: View;
  page?: TrailPage;
  summary?: Summary;
  documents?: PortalDocument[];
  filter: { period: string; kind: string; org: string };
  open: Map<string, TrailRow[] | 'loading'>;
  error?: boolean;
} = { lang: localStorage.getItem('portal-lang') === 'en' ? 'en' : 'cs', filter: { period: 'all', kind: '', org: '' }, open: new Map() };

const app = document.getElementById('app')!;

function fail(err: unknown): void {
  if (err instanceof SignedOut) {
    location.assign('/portal');
    return;
  }
  state.error = true;
  render();
}

function filterParams(): URLSearchParams {
  const p = new URLSearchParams({ view: state.view!.view });
  const { period, kind, org } = state.filter;
  if (period !== 'all') p.set('from', new Date(Date.parse(state.view!.to) - Number(period) * 86_400_000).toISOString());
  if (kind) p.set('kind', kind);
  if (org) p.set('org', org);
  return p;
}

async function loadPage(page: number): Promise<void> {
  const p = filterParams();
  p.set('page', String(page));
  try {
    state.page = await getJson<TrailPage>(`/portal/api/trail?${p}`);
    render();
    document.getElementById('trail-heading')?.focus();
  } catch (err) {
    fail(err);
  }
}

async function toggleHistory(uniqueId: string): Promise<void> {
  if (state.open.has(uniqueId)) {
    state.open.delete(uniqueId);
    return render();
  }
  state.open.set(uniqueId, 'loading');
  render();
  try {
    const { rows } = await getJson<{ rows: TrailRow[] }>(`/portal/api/documents/${encodeURIComponent(uniqueId)}/history?view=${state.view!.view}`);
    state.open.set(uniqueId, rows);
    render();
  } catch (err) {
    fail(err);
  }
}

function rowCells(r: TrailRow): HTMLTableRowElement {
  const t = TEXT[state.lang];
  const flags = [r.emergency ? h('span', { class: 'badge emer' }, t.emergency) : null, r.failed ? h('span', { class: 'badge failed' }, t.failed) : null];
  return h(
    'tr',
    { class: [r.emergency ? 'emer' : '', r.failed ? 'failed' : ''].join(' ').trim() },
    h('td', { 'data-label': t.when }, h('time', { datetime: r.recorded }, formatWhen(r.recorded, state.lang))),
    h('td', { 'data-label': t.what }, kindText(r, state.lang), ...flags.map((f) => (f ? h('span', {}, ' ', f) : null))),
    h('td', { 'data-label': t.who }, r.person ?? '—', r.role ? h('span', { class: 'role' }, ` (${r.role})`) : null),
    h('td', { 'data-label': t.organization }, r.organization?.name ?? r.organization?.id ?? '—'),
    h('td', { 'data-label': t.from }, r.community ?? t.thisCommunity),
    h('td', { 'data-label': t.purpose }, r.purposes.map((p) => purposeText(p, state.lang)).join(', ') || '—'),
  );
}

function trailTable(rows: readonly TrailRow[], caption: string): HTMLElement {
  const t = TEXT[state.lang];
  // Focusable and named: a table wider than a phone scrolls, and keyboard users must reach that too.
  return h(
    'div',
    { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': `${caption}: ${UI[state.lang].table}` },
    h(
      'table',
      {},
      h('caption', { class: 'sr-only' }, caption),
      h('thead', {}, h('tr', {}, ...[t.when, t.what, t.who, t.organization, t.from, t.purpose].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, ...rows.map(rowCells)),
    ),
  );
}

function select(id: string, label: string, value: string, options: [string, string][], onChange: (v: string) => void): HTMLElement {
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    h('select', { id, onchange: (e) => onChange((e.target as HTMLSelectElement).value) }, ...options.map(([v, text]) => h('option', { value: v, selected: v === value }, text))),
  );
}

function summarySection(): HTMLElement {
  const u = UI[state.lang];
  const s = state.summary;
  if (!s) return h('section', { class: 'summary', 'aria-busy': 'true' }, h('p', {}, u.loading));
  return h(
    'section',
    { class: 'summary', 'aria-labelledby': 'summary-line' },
    h('p', { id: 'summary-line', class: 'summary-line' }, u.summary(s.total, s.organizations.length, s.days, !s.organizationsComplete)),
    accessChart(s.perDay, u.chart(s.days), (day, n) => u.dayBar(formatDay(day, state.lang), n)),
  );
}

function filtersForm(): HTMLElement {
  const u = UI[state.lang];
  const set = (key: 'period' | 'kind' | 'org') => (v: string) => {
    state.filter[key] = v;
    void loadPage(0);
  };
  const orgs: [string, string][] = (state.summary?.organizations ?? []).map((o) => [o.id, o.name ?? o.id]);
  return h(
    'form',
    { class: 'filters', 'aria-label': u.filters, onsubmit: (e) => e.preventDefault() },
    select('f-period', u.period, state.filter.period, Object.entries(u.periods), set('period')),
    select('f-kind', u.kind, state.filter.kind, [['', u.anyKind], ...state.view!.kinds.map((k): [string, string] => [k, KIND_LABELS[state.lang][k]])], set('kind')),
    select('f-org', u.organization, state.filter.org, [['', u.anyOrganization], ...orgs], set('org')),
  );
}

function trailSection(): HTMLElement {
  const u = UI[state.lang];
  const page = state.page!;
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
  const p = filterParams();
  p.set('lang', state.lang);
  return h(
    'section',
    { class: 'trail', 'aria-labelledby': 'trail-heading' },
    h('h2', { id: 'trail-heading', tabindex: '-1' }, u.trail),
    filtersForm(),
    h('p', { class: 'exports' }, h('a', { href: `/portal/export.csv?${p}`, download: '', id: 'export-csv' }, u.exportCsv), ' · ', h('a', { href: `/portal/print?${p}`, target: '_blank', rel: 'noopener', id: 'print-view' }, u.print)),
    page.rows.length === 0 ? h('p', { class: 'empty' }, u.none) : trailTable(page.rows, u.trail),
    h(
      'nav',
      { class: 'pager', 'aria-label': u.pageOf(page.page + 1, pages, page.total) },
      h('button', { type: 'button', disabled: page.page === 0, onclick: () => void loadPage(page.page - 1) }, `← ${u.prev}`),
      h('span', { 'aria-live': 'polite' }, u.pageOf(page.page + 1, pages, page.total)),
      h('button', { type: 'button', disabled: page.page + 1 >= pages, onclick: () => void loadPage(page.page + 1) }, `${u.next} →`),
    ),
  );
}

function documentsSection(): HTMLElement {
  const u = UI[state.lang];
  const docs = state.documents;
  const item = (d: PortalDocument) => {
    const open = state.open.get(d.uniqueId);
    const title = d.title ?? d.type ?? d.uniqueId;
    return h(
      'li',
      { class: 'doc' },
      h('h3', {}, title),
      h('p', { class: 'meta' }, [d.type, d.date ? formatDay(d.date.slice(0, 10), state.lang) : u.unknownDate, d.author, d.organization].filter(Boolean).join(' · ')),
      h('button', { type: 'button', 'aria-expanded': open ? 'true' : 'false', 'aria-label': `${open ? u.hideHistory : u.history}: ${title}`, onclick: () => void toggleHistory(d.uniqueId) }, open ? u.hideHistory : u.history),
      open === 'loading' ? h('p', {}, u.loading) : open ? (open.length ? trailTable(open, `${u.history}: ${title}`) : h('p', {}, u.noHistory)) : null,
    );
  };
  return h('aside', { class: 'documents', 'aria-labelledby': 'docs-heading' }, h('h2', { id: 'docs-heading' }, u.documents), !docs ? h('p', {}, u.loading) : docs.length === 0 ? h('p', {}, u.noDocuments) : h('ul', {}, ...docs.map(item)));
}

function render(): void {
  const u = UI[state.lang];
  const t = TEXT[state.lang];
  document.documentElement.lang = state.lang;
  document.title = t.title;
  const v = state.view;
  const header = h(
    'header',
    { class: 'top' },
    h('h1', {}, t.title),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', lang: state.lang === 'cs' ? 'en' : 'cs', 'aria-label': u.switchLabel, id: 'lang-switch', onclick: () => switchLang() }, u.switchTo),
      h('form', { method: 'post', action: '/portal/logout' }, h('button', { type: 'submit', id: 'sign-out' }, u.signOut)),
    ),
    v ? h('p', { class: 'who' }, `${u.patient}: ${v.patient.name ?? v.patient.id}`) : null,
    v?.representative ? h('p', { class: 'representative', role: 'note' }, u.representative(v.representative.name ?? v.representative.subject)) : null,
  );
  const main = h('main', { id: 'main' }, state.error ? h('p', { role: 'alert' }, u.error) : null, v ? summarySection() : null, v && state.page ? h('div', { class: 'columns' }, trailSection(), documentsSection()) : h('p', {}, u.loading));
  app.replaceChildren(header, main);
}

function switchLang(): void {
  state.lang = state.lang === 'cs' ? 'en' : 'cs';
  localStorage.setItem('portal-lang', state.lang);
  render();
  document.getElementById('lang-switch')?.focus();
}

async function start(): Promise<void> {
  render();
  try {
    state.view = await getJson<View>('/portal/api/views', { method: 'POST' });
    state.page = state.view.page;
    render();
    performance.mark('portal-first-page');
    const q = `view=${state.view.view}`;
    const [summary, docs] = await Promise.all([getJson<Summary>(`/portal/api/summary?${q}`), getJson<{ documents: PortalDocument[] }>(`/portal/api/documents?${q}`)]);
    state.summary = summary;
    state.documents = docs.documents;
    render();
  } catch (err) {
    fail(err);
  }
}

void start();
