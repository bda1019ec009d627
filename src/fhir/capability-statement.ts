/**
 * GET [base]/metadata: the CapabilityStatement of this MHD endpoint. Its content is data,
 * ihe-profiles/mhd-capability-statement.json (actors, options, resources, interactions),
 * so integrators read the same file the server answers with. Added here: the search
 * parameters of DocumentReference and List from the search module's own table (what it
 * parses is what is declared), and what is only known at run time (date, version, base URL),
 * and the AuditEvent resource of the Audit Record Repository (ITI-20 create, ITI-81
 * search and read) with the parameters of its own table (http/audit-event-search.ts), and, when
 * the eRecept bridge is configured, MedicationRequest and MedicationDispense (fhir/erecept),
 * and, when outbound eHDSI is configured, Patient's $ncp-identify (fhir/ncpeh).
 */
import { SUBSCRIPTION_TOPICS } from '../domain/subscription';
import { Backport, MQTT_CHANNEL } from './subscriptions/backport';
import fs from 'node:fs';
import path from 'node:path';
import statement from '../../ihe-profiles/mhd-capability-statement.json';
import { auditSearchParams } from './atna/audit-event-search';
import { SEARCH_PARAMETERS } from './mhd/search';

/** The moment this process fixed its capabilities. */
const STARTED = new Date().toISOString();

/** package.json at the project root (this file runs from dist/src/fhir). */
function softwareVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

const VERSION = softwareVersion();

function searchParams(resource: string) {
  return SEARCH_PARAMETERS.filter((p) => p.resource === resource).map(({ name, type, definition, documentation }) => ({ name, type, definition, documentation }));
}

const AUDIT_EVENT = {
  type: 'AuditEvent',
  profile: 'http://hl7.org/fhir/StructureDefinition/AuditEvent',
  documentation: 'Audit Record Repository: ITI-20 RESTful (create; stored, not forwarded) and ITI-81 Retrieve ATNA Audit Event (GET, or POST _search; date required; a patient-context user sees only events about themself)',
  interaction: [{ code: 'create' }, { code: 'read' }, { code: 'search-type' }],
};

/** The eRecept bridge's resources (ihe-profiles/erecept-mapping.md). */
const ERECEPT_RESOURCES = [
  {
    type: 'MedicationRequest',
    documentation: "eRecept bridge to SÚKL's CÚER: create (prescribe), read, update (change), search by patient:identifier (RID or rodné číslo) and status; cancel with $cancel",
    interaction: [{ code: 'create' }, { code: 'read' }, { code: 'update' }, { code: 'search-type' }],
    searchParam: [
      { name: 'patient', type: 'reference', documentation: 'with the :identifier modifier only: https://ncez.mzcr.cz/fhir/sid/rid|… or https://ncez.mzcr.cz/fhir/sid/rcis|…' },
      { name: 'status', type: 'token', documentation: 'active, completed or cancelled' },
    ],
    operation: [{ name: 'cancel', definition: 'MedicationRequest/$cancel: cancels the prescription in CÚER (ZrusitPredpis); Parameters reason (valueString) optional' }],
  },
  { type: 'MedicationDispense', documentation: "eRecept bridge: a pharmacy's dispense recorded in CÚER (ZalozitVydej)", interaction: [{ code: 'create' }] },
];

const NCP_IDENTIFY_OPERATION = {
  name: 'ncp-identify',
  definition: 'Patient/$ncp-identify (POST): identifies a foreign patient at the NCP of their country (XCPD); Parameters country or hcid, identifier 1..*, given, family, gender, birthDate; answers a searchset Bundle of Patients',
};

/**
 * DSUBm Resource Notification Broker: the Subscription resource, and the topics offered as
 * the backport's topic-canonical extensions on it (R4 has no SubscriptionTopic resource).
 */
const SUBSCRIPTION = {
  type: 'Subscription',
  profile: Backport.subscriptionProfile,
  documentation: `DSUBm (ITI-110 create and delete, ITI-113 search and read, ITI-114 $status, $events, $get-ws-binding-token). Channels: rest-hook (https, or http on loopback), websocket, and MQTT (backport-channel-type ${MQTT_CHANNEL.system}|mqtt). A subscription is its creator's; a patient-context caller subscribes only to its own patient.`,
  extension: SUBSCRIPTION_TOPICS.map((t) => ({ url: Backport.capabilityTopic, valueCanonical: t.url })),
  interaction: [{ code: 'create' }, { code: 'read' }, { code: 'delete' }, { code: 'search-type' }],
  searchParam: [
    { name: '_id', type: 'token' },
    { name: 'status', type: 'token' },
    { name: 'url', type: 'uri', documentation: 'the topic (criteria)' },
  ],
  operation: [
    { name: 'status', definition: 'http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition/backport-subscription-status' },
    { name: 'events', definition: 'http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition/backport-subscription-events' },
    { name: 'get-ws-binding-token', definition: 'http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition/backport-subscription-get-ws-binding-token' },
  ],
};

export function capabilityStatement(fhirBase: string, withErecept = false, withNcpeh = false): Record<string, unknown> {
  const { $comment: _comment, rest, ...content } = statement;
  return {
    ...content,
    date: STARTED,
    software: { name: 'hie-gateway', version: VERSION },
    implementation: { description: 'hie-gateway MHD endpoint', url: fhirBase },
    rest: rest.map((r) => ({
      ...r,
      resource: [
        ...r.resource.map((res) => {
          if (res.type === 'DocumentReference' || res.type === 'List') return { ...res, searchParam: searchParams(res.type) };
          return res.type === 'Patient' && withNcpeh ? { ...res, operation: [NCP_IDENTIFY_OPERATION] } : res;
        }),
        { ...AUDIT_EVENT, searchParam: auditSearchParams() },
        SUBSCRIPTION,
        ...(withErecept ? ERECEPT_RESOURCES : []),
      ],
    })),
  };
}
