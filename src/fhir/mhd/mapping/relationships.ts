/**
 * DocumentReference.relatesTo <-> XDS document relationship associations, after the MHD
 * ConceptMap AssociationTypeVsRelatesTo: replaces = RPLC, transforms = XFRM, appends =
 * APND, signs = signs. XFRM_RPLC is both a replacement and a transform; the ConceptMap
 * narrows it to `replaces`, which would lose the transform, so this gateway writes both
 * codes for the same target and reads that pair back as XFRM_RPLC. IsSnapshotOf is written
 * as `transforms` (ConceptMap, inexact) and so comes back as XFRM.
 * The source of every relationship is the document at hand, the target the original.
 */
import { AssociationType, RELATIONSHIP_TYPES, type Association } from '../../../domain/metadata';
import type { DocumentReferenceRelatesTo, Reference } from './fhir-types';
import { at, item, type Problems } from './problems';
import { resourceIdOf } from './unique-ids';

type RelatesToCode = NonNullable<DocumentReferenceRelatesTo['code']>;

const TO_FHIR: Readonly<Record<string, readonly RelatesToCode[]>> = {
  [AssociationType.Replace]: ['replaces'],
  [AssociationType.Transform]: ['transforms'],
  [AssociationType.Append]: ['appends'],
  [AssociationType.TransformReplace]: ['replaces', 'transforms'],
  [AssociationType.Signs]: ['signs'],
  [AssociationType.IsSnapshotOf]: ['transforms'],
};

const FROM_FHIR: Readonly<Record<RelatesToCode, string>> = {
  replaces: AssociationType.Replace,
  transforms: AssociationType.Transform,
  appends: AssociationType.Append,
  signs: AssociationType.Signs,
};

/** relatesTo of a registered document, from the associations it is the source of. */
export function associationsToRelatesTo(entryUuid: string, associations: readonly Association[]): DocumentReferenceRelatesTo[] {
  const out: DocumentReferenceRelatesTo[] = [];
  for (const a of associations) {
    if (a.sourceId !== entryUuid || !RELATIONSHIP_TYPES.has(a.type)) continue;
    const id = resourceIdOf(a.targetId);
    if (!id) continue;
    for (const code of TO_FHIR[a.type] ?? []) out.push({ code, target: { reference: `DocumentReference/${id}` } });
  }
  return out;
}

/** How a relatesTo.target becomes the target id of an association (an entryUUID or a submission's symbolic id). */
export type TargetResolver = (target: Reference, path: string) => string | undefined;

/** Associations for a DocumentReference's relatesTo; `newId` names each association. */
export function relatesToToAssociations(
  relatesTo: unknown,
  sourceId: string,
  resolveTarget: TargetResolver,
  path: string,
  problems: Problems,
  newId: () => string,
): Association[] {
  if (relatesTo === undefined) return [];
  if (!Array.isArray(relatesTo)) {
    problems.error(path, 'must be a list');
    return [];
  }
  const byTarget = new Map<string, Set<string>>();
  relatesTo.forEach((r: DocumentReferenceRelatesTo, i) => {
    const where = item(path, i);
    const type = typeof r?.code === 'string' ? FROM_FHIR[r.code] : undefined;
    if (!type) {
      problems.error(at(where, 'code'), `"${String(r?.code)}" is not a relatesTo code MHD maps (replaces, transforms, appends, signs)`);
      return;
    }
    if (!r.target || typeof r.target !== 'object') {
      problems.error(at(where, 'target'), 'is required');
      return;
    }
    const target = resolveTarget(r.target, at(where, 'target'));
    if (!target) return;
    const types = byTarget.get(target) ?? new Set<string>();
    types.add(type);
    byTarget.set(target, types);
  });
  const out: Association[] = [];
  for (const [targetId, types] of byTarget) {
    if (types.has(AssociationType.Replace) && types.has(AssociationType.Transform)) {
      types.delete(AssociationType.Replace);
      types.delete(AssociationType.Transform);
      types.add(AssociationType.TransformReplace);
    }
    for (const type of types) out.push({ entryUuid: newId(), type, sourceId, targetId });
  }
  return out;
}
