/**
 * Which foreign patient each document found at an NCP belongs to, so a later request naming
 * only the document (ITI-43, ITI-68's GetDocuments lookup) can carry a TRC for the right
 * patient. Bounded (oldest forgotten first) and per process: a document this process never
 * found has no patient, and the request is refused until the patient's documents are found.
 */
const MAX_DOCUMENTS = 10_000;

export class PatientsOfDocuments {
  private readonly byKey = new Map<string, string>();

  constructor(private readonly max = MAX_DOCUMENTS) {}

  remember(homeCommunityId: string, documentUniqueId: string, patientId: string): void {
    const key = `${homeCommunityId}|${documentUniqueId}`;
    this.byKey.delete(key);
    this.byKey.set(key, patientId);
    if (this.byKey.size > this.max) this.byKey.delete(this.byKey.keys().next().value as string);
  }

  patientOf(homeCommunityId: string, documentUniqueId: string): string | undefined {
    return this.byKey.get(`${homeCommunityId}|${documentUniqueId}`);
  }
}
