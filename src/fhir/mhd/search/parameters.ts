/**
 * The search parameters this Document Responder supports for ITI-67 (DocumentReference)
 * and ITI-66 (List), after MHD 4.2 and the HL7 Czech HIE guide (`hcid`). The table is
 * what the parser accepts and what the CapabilityStatement declares, so the two cannot
 * drift apart. How each parameter becomes an ITI-18 parameter is in document-search.ts
 * and list-search.ts.
 */

export type SearchResourceType = 'DocumentReference' | 'List';
export type SearchParamType = 'token' | 'reference' | 'date' | 'string';

export interface SearchParameterDefinition {
  name: string;
  type: SearchParamType;
  resource: SearchResourceType;
  /** Canonical URL of the SearchParameter (CapabilityStatement.rest.resource.searchParam.definition). */
  definition: string;
  documentation: string;
  /** Modifiers accepted (e.g. `patient:identifier`); any other modifier is refused. */
  modifiers?: readonly string[];
}

const FHIR = 'http://hl7.org/fhir/SearchParameter';
const MHD = 'https://profiles.ihe.net/ITI/MHD/SearchParameter';
const CZ = 'https://hl7.cz/fhir/hie/SearchParameter';

type Row = Omit<SearchParameterDefinition, 'resource'>;

const COMMON: Row[] = [
  { name: '_id', type: 'token', definition: `${FHIR}/Resource-id`, documentation: 'Logical id: the entryUUID without urn:uuid:' },
  { name: 'identifier', type: 'token', definition: `${FHIR}/clinical-identifier`, documentation: 'entryUUID (urn:ietf:rfc:3986|urn:uuid:…) or uniqueId' },
  { name: 'patient', type: 'reference', definition: `${FHIR}/clinical-patient`, documentation: 'Patient/<id>: the id is the patient identifier in the affinity domain (PATIENT_ID_AUTHORITY)', modifiers: ['identifier'] },
  { name: 'patient.identifier', type: 'token', definition: `${FHIR}/clinical-patient`, documentation: 'Patient identifier system|value, e.g. the Czech RID system' },
];

const DOCUMENT_REFERENCE: Row[] = [
  ...COMMON,
  { name: 'status', type: 'token', definition: `${FHIR}/DocumentReference-status`, documentation: 'current (Approved) | superseded (Deprecated); required' },
  { name: 'creation', type: 'date', definition: `${MHD}/DocumentReference-Creation`, documentation: 'creationTime (eq, ge, gt, le, lt)' },
  { name: 'date', type: 'date', definition: `${FHIR}/DocumentReference-date`, documentation: 'Aligned with creation (creationTime), as MHD ITI-67 Note 5 directs' },
  { name: 'author.given', type: 'string', definition: `${FHIR}/DocumentReference-author`, documentation: 'Given name of an author person (authorPerson XCN.3, starts with)' },
  { name: 'author.family', type: 'string', definition: `${FHIR}/DocumentReference-author`, documentation: 'Family name of an author person (authorPerson XCN.2, starts with)' },
  { name: 'category', type: 'token', definition: `${FHIR}/DocumentReference-category`, documentation: 'classCode' },
  { name: 'type', type: 'token', definition: `${FHIR}/clinical-type`, documentation: 'typeCode' },
  { name: 'setting', type: 'token', definition: `${FHIR}/DocumentReference-setting`, documentation: 'practiceSettingCode' },
  { name: 'period', type: 'date', definition: `${FHIR}/DocumentReference-period`, documentation: 'Time of service (serviceStartTime..serviceStopTime) overlapping the given range' },
  { name: 'facility', type: 'token', definition: `${FHIR}/DocumentReference-facility`, documentation: 'healthcareFacilityTypeCode' },
  { name: 'event', type: 'token', definition: `${FHIR}/DocumentReference-event`, documentation: 'eventCodeList; repeat the parameter to AND' },
  { name: 'security-label', type: 'token', definition: `${FHIR}/DocumentReference-security-label`, documentation: 'confidentialityCode; repeat the parameter to AND' },
  { name: 'format', type: 'token', definition: `${FHIR}/DocumentReference-format`, documentation: 'formatCode' },
  { name: 'related', type: 'reference', definition: `${FHIR}/DocumentReference-related`, documentation: 'referenceIdList identifier system|value (FindDocumentsByReferenceId)', modifiers: ['identifier'] },
  { name: 'hcid', type: 'token', definition: `${CZ}/DocumentReference-hcid`, documentation: 'homeCommunityId (urn:oid:…); only this community is searched for now' },
];

const LIST: Row[] = [
  ...COMMON,
  { name: 'code', type: 'token', definition: `${FHIR}/clinical-code`, documentation: 'submissionset | folder; required' },
  { name: 'status', type: 'token', definition: `${FHIR}/List-status`, documentation: 'current (Approved) | retired or superseded (Deprecated); required' },
  { name: 'date', type: 'date', definition: `${FHIR}/clinical-date`, documentation: 'submissionTime of a SubmissionSet, lastUpdateTime of a Folder' },
  { name: 'designationType', type: 'token', definition: `${MHD}/List-DesignationType`, documentation: 'contentTypeCode of a SubmissionSet, codeList of a Folder' },
  { name: 'source.given', type: 'string', definition: `${FHIR}/List-source`, documentation: 'Given name of the SubmissionSet author person (starts with)' },
  { name: 'source.family', type: 'string', definition: `${FHIR}/List-source`, documentation: 'Family name of the SubmissionSet author person (starts with)' },
  { name: 'sourceId', type: 'token', definition: `${MHD}/List-SourceId`, documentation: 'sourceId of a SubmissionSet (urn:oid:…)' },
];

export const SEARCH_PARAMETERS: readonly SearchParameterDefinition[] = [
  ...DOCUMENT_REFERENCE.map((p) => ({ ...p, resource: 'DocumentReference' as const })),
  ...LIST.map((p) => ({ ...p, resource: 'List' as const })),
];

/** Result parameters handled on every search: paging here, `_format`/`_pretty` by the route. */
export const RESULT_PARAMETERS: readonly string[] = ['_count', '_offset', '_format', '_pretty'];

const BY_KEY = new Map(SEARCH_PARAMETERS.map((p) => [`${p.resource} ${p.name}`, p]));

export function searchParameter(resource: SearchResourceType, name: string): SearchParameterDefinition | undefined {
  return BY_KEY.get(`${resource} ${name}`);
}
