/**
 * Finds the Bundle entry a reference points at (FHIR R4 bundle.html#references): an exact
 * fullUrl match (urn:uuid:/absolute), else a relative `Type/id` matched against the
 * entries' RESTful fullUrls or their resource type and id.
 */
import type { Bundle, BundleEntry, FhirResource } from './fhir-types';

export interface IndexedEntry {
  index: number;
  entry: BundleEntry;
  resource?: FhirResource;
}

export class BundleIndex {
  private readonly byFullUrl = new Map<string, IndexedEntry>();
  private readonly byTypeAndId = new Map<string, IndexedEntry>();
  readonly entries: IndexedEntry[];

  constructor(bundle: Bundle) {
    const raw = Array.isArray(bundle.entry) ? bundle.entry : [];
    this.entries = raw.map((entry, index) => {
      const e = entry && typeof entry === 'object' ? entry : {};
      const resource = e.resource && typeof e.resource === 'object' ? e.resource : undefined;
      return { index, entry: e, ...(resource ? { resource } : {}) };
    });
    for (const e of this.entries) {
      if (typeof e.entry.fullUrl === 'string' && !this.byFullUrl.has(e.entry.fullUrl)) this.byFullUrl.set(e.entry.fullUrl, e);
      const r = e.resource;
      if (r && typeof r.id === 'string') this.byTypeAndId.set(`${r.resourceType}/${r.id}`, e);
    }
  }

  find(reference: string): IndexedEntry | undefined {
    const exact = this.byFullUrl.get(reference);
    if (exact) return exact;
    if (/^[A-Za-z]+\/[^/]+$/.test(reference)) {
      for (const [fullUrl, e] of this.byFullUrl) if (fullUrl.endsWith(`/${reference}`)) return e;
      return this.byTypeAndId.get(reference);
    }
    return undefined;
  }
}
