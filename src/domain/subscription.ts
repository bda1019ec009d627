/**
 * DSUBm (Document Subscription for Mobile) on FHIR R4 topic-based subscriptions (the
 * Subscriptions R5 Backport): the topics this gateway publishes, a subscription's filter in
 * registry terms, and what an event is. No I/O.
 */

/** Which registry object a topic is about. */
export type SubscriptionFocus = 'DocumentEntry' | 'SubmissionSet' | 'Folder';

export interface TopicDefinition {
  /** Canonical URL (Subscription.criteria). */
  url: string;
  title: string;
  focus: SubscriptionFocus;
  /** The FHIR resource type notifications carry and filter criteria name. */
  resourceType: 'DocumentReference' | 'List';
  /** Patient-dependent topics need a patient in the filter; multi-patient topics must not name one. */
  patientDependent: boolean;
  /** Also notifies changes (status or metadata) of registered objects, not only creation. */
  onUpdate: boolean;
}

const DSUBM = 'https://profiles.ihe.net/ITI/DSUBm/SubscriptionTopic/';

function topic(id: string, title: string, focus: SubscriptionFocus, patientDependent: boolean, onUpdate: boolean): TopicDefinition {
  return { url: DSUBM + id, title, focus, resourceType: focus === 'DocumentEntry' ? 'DocumentReference' : 'List', patientDependent, onUpdate };
}

/** DSUBm's topics (canonical URLs of the DSUBm IG's SubscriptionTopic instances). */
export const SUBSCRIPTION_TOPICS: readonly TopicDefinition[] = [
  topic('DSUBm-SubscriptionTopic-DocumentReference-PatientDependent', 'New DocumentReference of one patient', 'DocumentEntry', true, false),
  topic('DSUBm-SubscriptionTopic-DocumentReference-MultiPatient', 'New DocumentReference of any patient', 'DocumentEntry', false, false),
  topic('DSUBm-SubscriptionTopic-DocReference-PatientDependent-MinUpdate', 'New or changed DocumentReference of one patient', 'DocumentEntry', true, true),
  topic('DSUBm-SubscriptionTopic-DocReference-MultiPatient-MinUpdate', 'New or changed DocumentReference of any patient', 'DocumentEntry', false, true),
  topic('DSUBm-SubscriptionTopic-SubmissionSet-PatientDependent', 'New SubmissionSet of one patient', 'SubmissionSet', true, false),
  topic('DSUBm-SubscriptionTopic-SubmissionSet-MultiPatient', 'New SubmissionSet of any patient', 'SubmissionSet', false, false),
  topic('DSUBm-SubscriptionTopic-Basic-Folder-Subscription', 'New Folder of one patient, or documents added to it', 'Folder', true, true),
];

export function topicByUrl(url: string): TopicDefinition | undefined {
  return SUBSCRIPTION_TOPICS.find((t) => t.url === url);
}

/**
 * A filter in registry terms. Code lists hold `scheme|code` (a code in that coding scheme) or
 * `|code` (that code in any scheme); an absent list matches any value, several values match
 * any of them, and the lists are AND-ed.
 */
export interface SubscriptionFilter {
  /** CX; absent on a multi-patient subscription. */
  patientId?: string;
  typeCodes?: string[];
  classCodes?: string[];
  formatCodes?: string[];
  facilityCodes?: string[];
  settingCodes?: string[];
  securityCodes?: string[];
  eventCodes?: string[];
  /** Author persons as XCN family/given parts (lower-cased), any of which must appear. */
  authors?: string[];
  /** Short availability statuses (Approved, Deprecated). */
  statuses?: string[];
}

export type ChannelType = 'rest-hook' | 'websocket' | 'mqtt';
export type PayloadContent = 'empty' | 'id-only' | 'full-resource';
/** Subscription.status (R4). */
export type SubscriptionStatus = 'requested' | 'active' | 'error' | 'off';

export interface SubscriptionChannel {
  type: ChannelType;
  /** rest-hook: the URL notifications are POSTed to. */
  endpoint?: string;
  /** rest-hook: `Name: value` headers sent with every notification. */
  headers: string[];
  payload: PayloadContent;
  /** Seconds between heartbeats when nothing else was sent; 0: none. */
  heartbeatSeconds: number;
  /** Seconds a rest-hook send may take. */
  timeoutSeconds: number;
  /** Most events in one notification. */
  maxCount: number;
}

/** A subscription as the core keeps it; `resource` is the FHIR Subscription as created (the front end renders it). */
export interface SubscriptionRecord {
  id: string;
  /** Principal subject of its creator, the only caller who reads, lists or deletes it. */
  owner: string;
  topic: TopicDefinition;
  filter: SubscriptionFilter;
  channel: SubscriptionChannel;
  status: SubscriptionStatus;
  resource: Record<string, unknown>;
  /** The FHIR base the subscriber used, which notifications reference resources by. */
  fhirBase: string;
  eventsSinceStart: number;
  /** Last error of delivery, while in error. */
  error?: string;
  endsAt?: string;
}

/** One recorded event: what happened to which registry object. */
export interface SubscriptionEvent {
  subscriptionId: string;
  eventNumber: number;
  focus: SubscriptionFocus;
  /** entryUUID of the object. */
  focusId: string;
  patientId: string;
  interaction: 'create' | 'update';
  occurredAt: string;
}

/** A registry object created or changed, as the registry tells its observers. */
export interface RegistryChange {
  interaction: 'create' | 'update';
  focus: SubscriptionFocus;
  /** entryUUID */
  id: string;
  /** CX */
  patientId: string;
  /** Short availability status. */
  status: string;
  /** What filters compare: `scheme|code` and `|code` of each coded attribute. */
  codes: {
    type: string[];
    class: string[];
    format: string[];
    facility: string[];
    setting: string[];
    security: string[];
    event: string[];
  };
  /** Lower-cased author persons, space-separated (a filter's author part matches inside). */
  authors: string;
}

/** Both forms a filter may name a code by. */
export function codeTokens(codes: ReadonlyArray<{ code: string; scheme: string } | undefined>): string[] {
  return codes.flatMap((c) => (c ? [`${c.scheme}|${c.code}`, `|${c.code}`] : []));
}

/** A Subscription the gateway cannot serve as asked (FHIR: 400 / 422 with an OperationOutcome). */
export class InvalidSubscription extends Error {
  constructor(message: string, readonly field?: string) {
    super(message);
    this.name = 'InvalidSubscription';
  }
}
