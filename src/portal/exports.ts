/** The shown trail as CSV (for a spreadsheet) and as print-ready HTML (the browser's "Save as PDF"). */
import { formatWhen, kindText, purposeText, TEXT, type Lang } from './labels';
import type { TrailRow } from './trail-row';

function cells(row: TrailRow, lang: Lang): string[] {
  const t = TEXT[lang];
  return [
    formatWhen(row.recorded, lang),
    kindText(row, lang),
    row.person ?? '',
    row.role ?? '',
    row.organization?.name ?? row.organization?.id ?? '',
    row.community ?? t.thisCommunity,
    row.purposes.map((p) => purposeText(p, lang)).join(', '),
    row.failed ? t.failed : t.ok,
  ];
}

function headers(lang: Lang): string[] {
  const t = TEXT[lang];
  return [t.when, t.what, t.who, t.role, t.organization, t.from, t.purpose, t.outcome];
}

const csvCell = (v: string) => (/[",\r\n;]/.test(v) || /^[=+\-@]/.test(v) ? `"${(/^[=+\-@]/.test(v) ? `'${v}` : v).replace(/"/g, '""')}"` : v);

/** RFC 4180 with a BOM (so spreadsheets read the Czech letters); cells that would start a formula are quoted with a leading apostrophe. */
export function trailCsv(rows: readonly TrailRow[], lang: Lang): string {
  const lines = [headers(lang), ...rows.map((r) => cells(r, lang))].map((line) => line.map(csvCell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

const html = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function trailPrintHtml(rows: readonly TrailRow[], lang: Lang, patient: string, now: Date): string {
  const t = TEXT[lang];
  const head = headers(lang).map((h) => `<th scope="col">${html(h)}</th>`).join('');
  const body = rows
    // Emergency and failed rows in bold: the purpose and outcome cells say which.
    .map((r) => `<tr${r.failed || r.emergency ? ' class="flag"' : ''}>${cells(r, lang).map((c) => `<td>${html(c)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html(t.title)}</title>
<style>body{font:11pt/1.4 system-ui,sans-serif;margin:1.5cm;color:#000}table{border-collapse:collapse;width:100%}th,td{border:1px solid #555;padding:4px;text-align:left;vertical-align:top}.flag td{font-weight:bold}@page{size:A4 landscape;margin:1cm}</style>
</head><body><h1>${html(t.title)}</h1>
<p>${html(t.patient)}: ${html(patient)}<br>${html(t.printedAt)}: ${html(formatWhen(now.toISOString(), lang))}</p>
<table><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table></body></html>`;
}
