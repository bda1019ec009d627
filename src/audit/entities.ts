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
import type { RestInteraction } from '../transactions';

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

/**
 * The query as sent. ITI TF-2 (DICOM) names a stored query and adds its encoding and
 * community as details; BALP's query entity has the base64 query and nothing beside it.
 */
function queryEntity(q: AuditedQuery, balp: boolean): AuditEventEntity {
  const entity: AuditEventEntity = { type: EntityType.SystemObject, role: EntityRole.Query, query: Buffer.from(q.text, 'utf8').toString('base64') };
  if (balp) return entity;
  return withDetails(
    { ...(q.storedQueryId ? { what: { identifier: { value: q.storedQueryId } } } : {}), ...entity },
    details([
      ['QueryEncoding', 'UTF-8'],
      ['ihe:homeCommunityID', q.homeCommunityId],
    ]),
  );
}

/** The FHIR resource a RESTful read, create or update touched (BALP's data entity). */
function resourceEntity(reference: string): AuditEventEntity {
  return { what: { reference }, type: EntityType.SystemObject, role: EntityRole.DomainResource };
}

const TRACEPARENT = { coding: [{ system: 'https://www.w3.org/TR/trace-context/', code: 'traceparent', display: 'W3C traceparent' }] };

function traceEntity(traceparent: string): AuditEventEntity {
  return { what: { identifier: { type: TRACEPARENT, value: traceparent } }, type: EntityType.Other, role: EntityRole.ProcessingElement };
}

/** What decides an event's entities: its DICOM type, or for a BALP event its RESTful interaction. */
export interface EntityShape {
  type: Coding;
  interaction?: RestInteraction;
}

/**
 * The entities of an event of this shape. Only a query or a search records the query: the
 * audit profiles of reads and retrieves (ITI-68, ITI-43) name the patient and the document,
 * and a GET's query string (e.g. ITI-68's repositoryUniqueId) is part of the document's address.
 */
export function entitiesOf(input: AuditInput, ctx: AuditContext, shape: EntityShape): AuditEventEntity[] {
  const balp = shape.interaction !== undefined;
  const searched = balp ? shape.interaction === 'search-type' : shape.type.code === EventType.Query.code;
  const query = input.query && searched ? input.query : undefined;
  return [
    ...(input.patientId ? [patientEntity(input.patientId, ctx)] : []),
    ...(input.submissionSet ? [submissionSetEntity(input.submissionSet)] : []),
    ...(input.documents ?? []).map(documentEntity),
    ...(input.resource && balp ? [resourceEntity(input.resource)] : []),
    ...(query ? [queryEntity(query, balp)] : []),
    ...(input.traceparent ? [traceEntity(input.traceparent)] : []),
    ...(input.entities ?? []),
  ];
}
