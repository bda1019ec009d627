/**
 * Resolving the References that carry authors, authenticator, sourcePatientInfo and
 * recipients: `#id` points into the container's `contained`, anything else into the
 * Bundle (UnContained References option) or, outside a Bundle, to an optional lookup the
 * caller supplies (kept as a callback so the mapping stays free of I/O).
 */
import type { BundleIndex } from './bundle-index';
import type { FhirResource, Reference } from './fhir-types';

export interface ReferenceScope {
  /** The resource whose `contained` list `#id` references resolve against. */
  container: FhirResource;
  bundle?: BundleIndex;
  lookup?: (reference: string) => FhirResource | undefined;
}

export interface Resolved {
  resource: FhirResource;
  contained: boolean;
}

export function resolveReference(ref: Reference | undefined, scope: ReferenceScope): Resolved | undefined {
  const target = ref?.reference;
  if (typeof target !== 'string' || target === '') return undefined;
  if (target.startsWith('#')) {
    const id = target.slice(1);
    const contained = Array.isArray(scope.container.contained) ? scope.container.contained : [];
    const found = contained.find((r) => r && typeof r === 'object' && r.id === id);
    return found ? { resource: found, contained: true } : undefined;
  }
  const inBundle = scope.bundle?.find(target)?.resource;
  if (inBundle) return { resource: inBundle, contained: false };
  const looked = scope.lookup?.(target);
  return looked ? { resource: looked, contained: false } : undefined;
}

/** Narrows a resource by type (the open FhirResource union does not narrow on resourceType alone). */
export function ofType<T extends FhirResource>(resource: FhirResource | undefined, type: T['resourceType']): T | undefined {
  return resource && resource.resourceType === type ? (resource as T) : undefined;
}
