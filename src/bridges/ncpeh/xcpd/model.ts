/**
 * XCPD (ITI-55) as this gateway sees it, apart from HL7 v3's wire form: who asks whom, the
 * patient's identifiers and demographics, and the answer. eHDSI's profile of XCPD identifies
 * a patient by the national identifiers the patient's country asks for, with name, gender and
 * birth date beside them.
 */
import { formatCx, normalizeCx, parseCx } from '../../../domain/hl7v2';

/** An HL7 v3 II: root = OID of the assigning authority, extension = the identifier. */
export interface InstanceIdentifier {
  root: string;
  extension?: string;
}

export interface Demographics {
  given?: string[];
  family?: string;
  /** HL7 AdministrativeGender: M, F, UN. */
  gender?: 'M' | 'F' | 'UN';
  /** YYYY-MM-DD (or YYYY-MM, YYYY when only that is known). */
  birthDate?: string;
  address?: { streetAddressLine?: string; city?: string; postalCode?: string; country?: string };
}

/** A device and the community it acts for, as the transmission wrapper names sender and receiver. */
export interface Party {
  /** Device id root (the gateway's OID). */
  deviceId: string;
  /** homeCommunityId OID (without urn:oid:). */
  communityId?: string;
}

export interface PatientDiscoveryQuery {
  /** The message id, which the response's acknowledgement names. */
  messageId: InstanceIdentifier;
  queryId: InstanceIdentifier;
  sender: Party;
  receiver: Party;
  identifiers: InstanceIdentifier[];
  demographics: Demographics;
}

export interface DiscoveredPatient {
  /** Identifiers this community knows the patient by (the one matched first). */
  identifiers: InstanceIdentifier[];
  demographics: Demographics;
}

/**
 * OK: patients found; NF: no patient matches; AE: the request could not be served (an
 * application error); QE: the query itself is wrong (no identifier, say).
 */
export type QueryResponseCode = 'OK' | 'NF' | 'AE' | 'QE';

export interface PatientDiscoveryResult {
  code: QueryResponseCode;
  patients: DiscoveredPatient[];
  /** Why AE / QE, for the acknowledgementDetail. */
  error?: { code: string; text: string };
}

/** A request the responder cannot read as a patient discovery query (answered AE/QE, not with a SOAP fault). */
export class XcpdQueryError extends Error {
  constructor(
    message: string,
    readonly code = 'InvalidQuery',
  ) {
    super(message);
    this.name = 'XcpdQueryError';
  }
}

/** HL7 v3 II -> CX (id^^^&OID&ISO), the form the registry keys patients by; undefined when it makes no valid CX. */
export function cxOf(id: InstanceIdentifier): string | undefined {
  return id.extension ? normalizeCx(formatCx({ id: id.extension, authority: id.root })) : undefined;
}

/** CX -> HL7 v3 II. */
export function iiOfCx(cx: string): InstanceIdentifier | undefined {
  const parsed = parseCx(cx);
  return parsed ? { root: parsed.authority, extension: parsed.id } : undefined;
}
