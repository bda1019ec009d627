/** The portal's words in Czech (first) and English: the page, the CSV and the print view use the same. */
import type { AccessKind, TrailRow } from './trail-row';

export type Lang = 'cs' | 'en';

export const KIND_LABELS: Record<Lang, Record<AccessKind, string>> = {
  cs: {
    ATC_DOC_READ: 'Čtení dokumentu',
    ATC_DOC_SEARCH: 'Vyhledání dokumentů',
    ATC_DOC_CREATE: 'Vložení dokumentu',
    ATC_DOC_UPDATE: 'Změna dokumentu',
    ATC_DOC_DELETE: 'Odstranění dokumentu',
    ATC_LOG_READ: 'Náhled do záznamu přístupů',
    OTHER: 'Jiná činnost',
  },
  en: {
    ATC_DOC_READ: 'Document read',
    ATC_DOC_SEARCH: 'Document search',
    ATC_DOC_CREATE: 'Document upload',
    ATC_DOC_UPDATE: 'Document change',
    ATC_DOC_DELETE: 'Document removal',
    ATC_LOG_READ: 'Audit trail viewed',
    OTHER: 'Other activity',
  },
};

/** Czech HIE purpose-of-use codes (NORM, EMER, AUTO) and the common HL7 ones. */
export const PURPOSE_LABELS: Record<Lang, Record<string, string>> = {
  cs: { NORM: 'běžná péče', EMER: 'NOUZOVÝ PŘÍSTUP', AUTO: 'automatické zpracování', TREAT: 'léčba', ETREAT: 'NOUZOVÁ LÉČBA', PATRQT: 'žádost pacienta' },
  en: { NORM: 'normal care', EMER: 'EMERGENCY ACCESS', AUTO: 'automated processing', TREAT: 'treatment', ETREAT: 'EMERGENCY TREATMENT', PATRQT: 'patient request' },
};

export const TEXT = {
  cs: {
    title: 'Kdo nahlížel do mé zdravotnické dokumentace',
    when: 'Kdy',
    what: 'Co',
    who: 'Kdo',
    role: 'Role',
    organization: 'Organizace',
    from: 'Odkud',
    purpose: 'Účel',
    outcome: 'Výsledek',
    thisCommunity: 'tato síť',
    failed: 'NEÚSPĚŠNÝ POKUS',
    ok: 'úspěch',
    emergency: 'NOUZOVÝ PŘÍSTUP',
    printedAt: 'Vytištěno',
    patient: 'Pacient',
  },
  en: {
    title: 'Who looked at my health records',
    when: 'When',
    what: 'What',
    who: 'Who',
    role: 'Role',
    organization: 'Organization',
    from: 'From',
    purpose: 'Purpose',
    outcome: 'Outcome',
    thisCommunity: 'this community',
    failed: 'FAILED ATTEMPT',
    ok: 'success',
    emergency: 'EMERGENCY ACCESS',
    printedAt: 'Printed',
    patient: 'Patient',
  },
} as const;

const LOCALE: Record<Lang, string> = { cs: 'cs-CZ', en: 'en-GB' };

/** A date and time as people read them, in Prague time. */
export function formatWhen(iso: string, lang: Lang): string {
  return new Date(iso).toLocaleString(LOCALE[lang], { timeZone: 'Europe/Prague', day: 'numeric', month: 'numeric', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function purposeText(code: string, lang: Lang): string {
  return PURPOSE_LABELS[lang][code] ?? code;
}

/** A calendar day (YYYY-MM-DD) as people read it. */
export function formatDay(day: string, lang: Lang): string {
  return new Date(`${day}T12:00:00Z`).toLocaleDateString(LOCALE[lang], { timeZone: 'Europe/Prague', day: 'numeric', month: 'numeric', year: 'numeric' });
}

/** What happened, as a row names it: an event without an ATC code by its transaction. */
export function kindText(row: Pick<TrailRow, 'kind' | 'transaction'>, lang: Lang): string {
  return row.kind === 'OTHER' && row.transaction ? `${KIND_LABELS[lang].OTHER} (${row.transaction})` : KIND_LABELS[lang][row.kind];
}
