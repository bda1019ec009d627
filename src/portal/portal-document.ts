/** One of the patient's documents as the portal lists it: shared by the server (patient-trail.ts) and the page (web/app.ts). */
export interface PortalDocument {
  uniqueId: string;
  title?: string;
  type?: string;
  date?: string;
  author?: string;
  organization?: string;
}
