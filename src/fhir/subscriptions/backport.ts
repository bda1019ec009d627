/** Canonical URLs of the Subscriptions R5 Backport IG (R4) this front end reads and writes. */
const BACKPORT = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/';

export const Backport = {
  subscriptionProfile: `${BACKPORT}backport-subscription`,
  statusProfile: `${BACKPORT}backport-subscription-status-r4`,
  notificationProfile: `${BACKPORT}backport-subscription-notification-r4`,
  filterCriteria: `${BACKPORT}backport-filter-criteria`,
  heartbeatPeriod: `${BACKPORT}backport-heartbeat-period`,
  timeout: `${BACKPORT}backport-timeout`,
  maxCount: `${BACKPORT}backport-max-count`,
  payloadContent: `${BACKPORT}backport-payload-content`,
  channelType: `${BACKPORT}backport-channel-type`,
  /** The backport's topic canonical on a CapabilityStatement resource. */
  capabilityTopic: `${BACKPORT}capabilitystatement-subscriptiontopic-canonical`,
} as const;

/**
 * MQTT has no code in R4's channel types nor in R5's: a Subscription asks for it with the
 * backport-channel-type extension carrying this coding (`channel.type` then says `message`).
 */
export const MQTT_CHANNEL = { system: 'urn:hie-gateway:subscription-channel-type', code: 'mqtt', display: 'MQTT' } as const;
