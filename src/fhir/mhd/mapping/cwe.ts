/**
 * authorRole and authorSpecialty: XDS allows a plain string or a coded CWE in the form
 * `code^display^^&OID&ISO` (the coding scheme as an ISO assigning authority in
 * component 4). FHIR holds them as CodeableConcept: a coded value as its first coding,
 * a plain string as `text`.
 */
import type { CodeableConcept } from './fhir-types';
import type { Terminology } from './terminology';
import { components, isoAuthority, joinComponents, parseIsoAuthority } from './v2-components';

export function conceptToCwe(concept: CodeableConcept | undefined, terminology: Terminology): string | undefined {
  const coding = Array.isArray(concept?.coding) ? concept.coding.find((c) => typeof c?.code === 'string' && c.code !== '') : undefined;
  if (coding?.code) {
    const scheme = typeof coding.system === 'string' ? terminology.codeSystemOid(coding.system) : undefined;
    return joinComponents([coding.code, coding.display, undefined, scheme ? isoAuthority(scheme) : undefined]);
  }
  return typeof concept?.text === 'string' && concept.text !== '' ? concept.text : undefined;
}

export function cweToConcept(value: string, terminology: Terminology): CodeableConcept {
  const c = components(value);
  const scheme = parseIsoAuthority(c[3]);
  if (c.length === 1 || !c[0]) return { text: value };
  return {
    coding: [{ ...(scheme ? { system: terminology.codeSystemUri(scheme) } : {}), code: c[0], ...(c[1] ? { display: c[1] } : {}) }],
  };
}
