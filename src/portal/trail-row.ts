/**
 * One audit event as the patient reads it: plain data for the page, the CSV and the print
 * view (shared with the browser bundle, so no Node imports here).
 */
export type AccessKind = 'ATC_DOC_CREATE' | 'ATC_DOC_READ' | 'ATC_DOC_UPDATE' | 'ATC_DOC_DELETE' | 'ATC_DOC_SEARCH' | 'ATC_LOG_READ' | 'OTHER';

export const ACCESS_KINDS: readonly AccessKind[] = ['ATC_DOC_READ', 'ATC_DOC_SEARCH', 'ATC_DOC_CREATE', 'ATC_DOC_UPDATE', 'ATC_DOC_DELETE', 'ATC_LOG_READ'];

export interface TrailRow {
  id: string;
  recorded: string;
  kind: AccessKind;
  /** IHE transaction (ITI-68 ...), for the curious. */
  transaction?: string;
  person?: string;
  role?: string;
  organization?: { id: string; name?: string };
  /** undefined: this community; else the other community's name (or its id when unnamed). */
  community?: string;
  purposes: string[];
  emergency: boolean;
  failed: boolean;
  documents: string[];
}
