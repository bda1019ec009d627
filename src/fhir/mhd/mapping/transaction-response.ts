/**
 * The ITI-65 transaction-response (IHE.MHD.ProvideDocumentBundleResponse): one entry per
 * request entry, in request order, each with a status and the location of what it became.
 * Registered objects are located by the bare UUID of their entryUUID (their FHIR id);
 * a Binary by its document URL (see retrieve-url.ts).
 */
import { Profiles } from './canonicals';
import type { Bundle, BundleEntry } from './fhir-types';
import type { PlannedEntry, ProvideBundlePlan } from './provide-bundle';
import { retrieveUrl } from './retrieve-url';
import { resourceIdOf } from './unique-ids';

export interface ResponseContext {
  fhirBase: string;
  /** This gateway's repository and community, for the Binary locations. */
  repositoryUniqueId: string;
  homeCommunityId?: string;
}

export interface EntryOutcome {
  index: number;
  status: string;
  location: string;
  /** FHIR resource id the entry got, where it is a registry object. */
  id?: string;
}

/**
 * What each request entry became, given the registry's SubmitResult.ids (submission id ->
 * entryUUID). Throws if an id the plan needs is missing, which means the ids belong to
 * another submission.
 */
export function entryOutcomes(plan: ProvideBundlePlan, ids: Record<string, string>, ctx: ResponseContext): EntryOutcome[] {
  const registeredId = (objectId: string | undefined, e: PlannedEntry) => {
    const uuid = objectId ? (ids[objectId] ?? objectId) : undefined;
    const id = uuid ? resourceIdOf(uuid) : undefined;
    if (!id) throw new Error(`no registered entryUUID for Bundle.entry[${e.index}] (${objectId ?? 'no id'})`);
    return id;
  };
  const uniqueIdOf = new Map(plan.submission.documents.map((d) => [d.entryUuid, d.uniqueId]));
  return plan.entries.map((e): EntryOutcome => {
    const created = e.method === 'POST' ? '201 Created' : '200 OK';
    switch (e.role) {
      case 'SubmissionSet':
      case 'Folder': {
        const id = registeredId(e.objectId, e);
        return { index: e.index, status: created, location: `List/${id}`, id };
      }
      case 'DocumentReference':
      case 'SupersededStatus': {
        const id = registeredId(e.objectId, e);
        return { index: e.index, status: created, location: `DocumentReference/${id}`, id };
      }
      case 'Binary': {
        const documentUniqueId = (e.documentEntryId && uniqueIdOf.get(e.documentEntryId)) || '';
        const location = retrieveUrl(ctx.fhirBase, { documentUniqueId, repositoryUniqueId: ctx.repositoryUniqueId, ...(ctx.homeCommunityId ? { homeCommunityId: ctx.homeCommunityId } : {}) });
        return { index: e.index, status: created, location };
      }
      case 'Patient':
        // Patients are not stored by the gateway; the entry answers with what it named.
        return { index: e.index, status: '200 OK', location: e.resourceId ? `Patient/${e.resourceId}` : (e.requestUrl ?? e.fullUrl ?? 'Patient') };
    }
  });
}

/** The complete transaction-response Bundle. */
export function transactionResponseBundle(plan: ProvideBundlePlan, ids: Record<string, string>, ctx: ResponseContext): Bundle {
  const entry: BundleEntry[] = entryOutcomes(plan, ids, ctx).map((o) => ({ response: { status: o.status, location: o.location } }));
  return { resourceType: 'Bundle', meta: { profile: [Profiles.ProvideBundleResponse] }, type: 'transaction-response', entry };
}
