/**
 * The HL7 v3 transmission wrapper both XCPD messages share: message id, creation time,
 * interaction id, processing codes, and sender / receiver devices with the community each acts
 * for (ITI TF-2b 3.55.4.1.2: representedOrganization/id carries the homeCommunityId's OID).
 */
import type { Element } from '@xmldom/xmldom';
import { el, type XmlElementSpec } from '../../../soap';
import { HL7, INTERACTION_CODE_SYSTEM, attr, ii, path, tsOfInstant } from './hl7v3';
import type { InstanceIdentifier, Party } from './model';

/** An HL7 v3 element, written with the hl7 prefix: a node echoed from a request (queryByParameter) cannot go inside a default namespace. */
export const h = (name: string, attrs: Parameters<typeof el>[2] = {}, ...children: Parameters<typeof el>[3][]): XmlElementSpec => el(HL7, `hl7:${name}`, attrs, ...children);

export function iiSpec(name: string, id: InstanceIdentifier): XmlElementSpec {
  return h(name, { root: id.root, extension: id.extension });
}

function device(role: 'receiver' | 'sender', party: Party): XmlElementSpec {
  return h(
    role,
    { typeCode: role === 'receiver' ? 'RCV' : 'SND' },
    h(
      'device',
      { classCode: 'DEV', determinerCode: 'INSTANCE' },
      h('id', { root: party.deviceId }),
      party.communityId !== undefined &&
        h('asAgent', { classCode: 'AGNT' }, h('representedOrganization', { classCode: 'ORG', determinerCode: 'INSTANCE' }, h('id', { root: party.communityId }))),
    ),
  );
}

/** The wrapper's elements up to and including sender, in the schema's order. */
export function wrapperHead(interaction: 'PRPA_IN201305UV02' | 'PRPA_IN201306UV02', id: InstanceIdentifier, now: Date, receiver: Party, sender: Party): XmlElementSpec[] {
  return [
    iiSpec('id', id),
    h('creationTime', { value: tsOfInstant(now) }),
    h('interactionId', { root: INTERACTION_CODE_SYSTEM, extension: interaction }),
    h('processingCode', { code: 'P' }),
    h('processingModeCode', { code: 'T' }),
    h('acceptAckCode', { code: interaction === 'PRPA_IN201305UV02' ? 'AL' : 'NE' }),
    device('receiver', receiver),
    device('sender', sender),
  ];
}

export function readParty(message: Element, role: 'receiver' | 'sender'): Party | undefined {
  const dev = path(message, role, 'device');
  const deviceId = attr(path(dev, 'id'), 'root');
  if (!deviceId) return undefined;
  const communityId = ii(path(dev, 'asAgent', 'representedOrganization', 'id'))?.root;
  return { deviceId, ...(communityId ? { communityId } : {}) };
}
