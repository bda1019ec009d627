/**
 * Readers for the FHIR values every MHD resource carries (codes, times, the patient):
 * each returns the XDS value or reports at the element's path and returns undefined,
 * so a mapping goes on and collects every problem.
 */
import { XdsErrorCode } from '../../../domain/error-codes';
import type { Code } from '../../../domain/metadata';
import type { MhdOption } from './canonicals';
import type { BundleIndex } from './bundle-index';
import type { CodeableConcept, Coding, FhirResource, Patient, Reference } from './fhir-types';
import { identifierToCx } from '../../../domain/patient-identifier';
import { at, item, type Problems } from './problems';
import { ofType, resolveReference } from './references';
import type { Terminology } from './terminology';
import { fhirToDtm } from './time';

/** What a FHIR -> XDS mapping needs besides the resource. */
export interface InboundContext {
  terminology: Terminology;
  option: MhdOption;
  problems: Problems;
  /** Base of this server's FHIR endpoint, to recognise its own document URLs. */
  fhirBase?: string;
  /** Set while mapping an ITI-65 Bundle: references may point at its entries. */
  bundle?: BundleIndex;
  /** Resources outside the Bundle the caller has at hand (e.g. a Patient it looked up). */
  lookup?: (reference: string) => FhirResource | undefined;
}

/** Copies the defined values of `optional` onto `base`, so absent FHIR elements leave no `undefined` keys behind. */
export function withDefined<T extends object>(base: T, optional: Partial<T>): T {
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) (base as Record<string, unknown>)[key] = value;
  return base;
}

export function readString(value: unknown, path: string, ctx: InboundContext): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && value !== '') return value;
  ctx.problems.error(path, 'must be a non-empty string');
  return undefined;
}

export function readCoding(coding: Coding | undefined, path: string, ctx: InboundContext): Code | undefined {
  if (coding === undefined) return undefined;
  const r = ctx.terminology.codingToCode(coding);
  if (!r.ok) ctx.problems.error(path, r.reason);
  return r.ok ? r.code : undefined;
}

export function readConcept(concept: CodeableConcept | undefined, path: string, ctx: InboundContext): Code | undefined {
  if (concept === undefined) return undefined;
  if (!Array.isArray(concept?.coding) || concept.coding.length === 0) {
    ctx.problems.error(at(path, 'coding'), 'a coded value is required (XDS has no text-only codes)');
    return undefined;
  }
  return readCoding(concept.coding[0], item(at(path, 'coding'), 0), ctx);
}

export function readConcepts(list: unknown, path: string, ctx: InboundContext): Code[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    ctx.problems.error(path, 'must be a list');
    return [];
  }
  return list.flatMap((c: CodeableConcept, i) => {
    const code = readConcept(c, item(path, i), ctx);
    return code ? [code] : [];
  });
}

export function readTime(value: unknown, path: string, ctx: InboundContext): string | undefined {
  const s = readString(value, path, ctx);
  if (s === undefined) return undefined;
  const r = fhirToDtm(s);
  if (!r.ok) ctx.problems.error(path, r.reason);
  return r.ok ? r.value : undefined;
}

/**
 * The patient a subject names, as CX: its identifier (a logical reference, as the Czech
 * guide requires), or the identifiers of the Patient it references in the Bundle or via
 * the caller's lookup. The first identifier with a known assigning authority wins.
 */
export function readPatient(subject: Reference | undefined, path: string, ctx: InboundContext, container: FhirResource): string | undefined {
  if (subject === undefined) return undefined;
  if (!subject || typeof subject !== 'object') {
    ctx.problems.error(path, 'is not a Reference');
    return undefined;
  }
  if (subject.identifier) {
    const r = identifierToCx(subject.identifier, ctx.terminology);
    if (!r.ok) ctx.problems.error(at(path, 'identifier'), r.reason, XdsErrorCode.XDSUnknownPatientId);
    return r.ok ? r.cx : undefined;
  }
  const target = subject.reference;
  if (typeof target !== 'string' || target === '') {
    ctx.problems.error(path, 'needs a reference or an identifier of the patient');
    return undefined;
  }
  const patient = ofType<Patient>(resolveReference(subject, { container, ...(ctx.bundle ? { bundle: ctx.bundle } : {}), ...(ctx.lookup ? { lookup: ctx.lookup } : {}) })?.resource, 'Patient');
  if (!patient) {
    ctx.problems.error(at(path, 'reference'), `Patient ${target} is neither in the Bundle nor known here; send subject.identifier`, XdsErrorCode.XDSUnknownPatientId);
    return undefined;
  }
  for (const identifier of Array.isArray(patient.identifier) ? patient.identifier : []) {
    const r = identifierToCx(identifier, ctx.terminology);
    if (r.ok) return r.cx;
  }
  ctx.problems.error(at(path, 'reference'), `Patient ${target} has no identifier of a configured patient identifier system`, XdsErrorCode.XDSUnknownPatientId);
  return undefined;
}
