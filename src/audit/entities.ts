/**
 * AuditEvent entities: what the transaction touched. The patient (so the patient's own
 * audit trail finds the event), the submission set and documents by their XDS ids, the
 * query as sent (base64, as BALP and the ITI query audits require), the trace context.
 */
import { isOid } from '../domain/hl7v2';
import type { AuditContext, AuditDocument, AuditInput, AuditedQuery, AuditSubmissionSet } from './audit-input';
import { EntityRole, EntityType, EventType } from './codes';
import type { AuditEventEntity, AuditEventEntityDetail, Coding, Identifier } from './fhir-audit-event';
import { patientIdentifier } from './patient-identifier';

const URI = 'urn:ietf:rfc:3986';

/** XDS uniqueIds as the Czech guide's UniqueIdIdentifier: urn:oid: URIs; other forms kept as they are. */
function uniqueIdIdentifier(uniqueId: string): Identifier {
  if (isOid(uniqueId)) return { system: URI, value: `urn:oid:${uniqueId}` };
  if (/^urn:/i.test(uniqueId)) return { system: URI, value: uniqueId };
  return { value: uniqueId };
}

function details(pairs: Array<[string, string | undefined]>): AuditEventEntityDetail[] {
  return pairs.filter((p): p is [string, string] => !!p[1]).map(([type, valueString]) => ({ type, valueString }));
}

function withDetails(entity: AuditEventEntity, detail: AuditEventEntityDetail[]): AuditEventEntity {
  return detail.length > 0 ? { ...entity, detail } : entity;
}

function patientEntity(cx: string, ctx: AuditContext): AuditEventEntity {
  return { what: { identifier: patientIdentifier(cx, ctx.patientIdSystems) }, type: EntityType.Person, role: EntityRole.Patient };
}

function submissionSetEntity(ss: AuditSubmissionSet): AuditEventEntity {
  return withDetails({ what: { identifier: uniqueIdIdentifier(ss.uniqueId) }, type: EntityType.SystemObject, role: EntityRole.Job }, details([['entryUUID', ss.entryUuid]]));
}

function documentEntity(d: AuditDocument): AuditEventEntity {
  // Known by uniqueId where there is one; objects removed by entryUUID alone (ITI-62) by that.
  const id = d.uniqueId ?? d.entryUuid ?? 'unknown';
  const entity: AuditEventEntity = {
    what: { identifier: uniqueIdIdentifier(id), ...(d.reference ? { reference: d.reference } : {}) },
    type: EntityType.SystemObject,
    role: EntityRole.Report,
  };
  return withDetails(
    entity,
    details([
      ['Repository Unique Id', d.repositoryUniqueId],
      ['ihe:homeCommunityID', d.homeCommunityId],
      ['entryUUID', d.uniqueId ? d.entryUuid : undefined],
      ['DocumentType', d.typeCode ? (d.typeCode.display ?? d.typeCode.code) : undefined],
      ['Title', d.title],
    ]),
  );
}

function queryEntity(q: AuditedQuery): AuditEventEntity {
  return withDetails(
    {
      ...(q.storedQueryId ? { what: { identifier: { value: q.storedQueryId } } } : {}),
      type: EntityType.SystemObject,
      role: EntityRole.Query,
      query: Buffer.from(q.text, 'utf8').toString('base64'),
    },
    details([
      ['QueryEncoding', 'UTF-8'],
      ['ihe:homeCommunityID', q.homeCommunityId],
    ]),
  );
}

const TRACEPARENT = { coding: [{ system: 'https://www.w3.org/TR/trace-context/', code: 'traceparent', display: 'W3C traceparent' }] };

function traceEntity(traceparent: string): AuditEventEntity {
  return { what: { identifier: { type: TRACEPARENT, value: traceparent } }, type: EntityType.Other, role: EntityRole.ProcessingElement };
}

/**
 * The entities of an event of this DICOM type. Only a Query event records the query: the
 * audit profiles of reads and retrieves (ITI-68, ITI-43) name the patient and the document,
 * and a GET's query string (e.g. ITI-68's repositoryUniqueId) is part of the document's address.
 */
export function entitiesOf(input: AuditInput, ctx: AuditContext, type: Coding): AuditEventEntity[] {
  const query = input.query && type.code === EventType.Query.code ? input.query : undefined;
  return [
    ...(input.patientId ? [patientEntity(input.patientId, ctx)] : []),
    ...(input.submissionSet ? [submissionSetEntity(input.submissionSet)] : []),
    ...(input.documents ?? []).map(documentEntity),
    ...(query ? [queryEntity(query)] : []),
    ...(input.traceparent ? [traceEntity(input.traceparent)] : []),
    ...(input.entities ?? []),
  ];
}
