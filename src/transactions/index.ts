/**
 * One descriptor per IHE transaction (IPF keeps one configuration object per transaction the
 * same way): its id, the access it needs, its audit shape and its SOAP binding or FHIR routes.
 * Each layer reads the part it owns from here instead of keeping its own table:
 *
 *  - audit (audit/transactions.ts): the event type, subtypes and action of a record, by id;
 *  - security (security/authorize.ts): is handed a binding's or route's `access`;
 *  - the XDS.b front end (xds/endpoints.ts): the endpoint and WS-Addressing actions of every
 *    descriptor with a `soap` binding, each paired with its handler in one typed map; a binding's
 *    `alsoOn` serves the same transaction on another endpoint too (ITI-18 and ITI-43 on the XCA
 *    Initiating Gateway, src/xca/initiating-gateway, with handlers of its own);
 *  - the FHIR front end (fhir/routes.ts): the routes of every descriptor with `fhir` routes,
 *    each paired with its handler by name in one typed map.
 *
 * Dependency direction: descriptors are data and import nothing outside this folder, so every
 * layer may read them (front ends, security, audit) without a cycle. Handlers are code of the
 * front ends and stay there; the front end's map from descriptor to handler is typed over
 * the descriptors, so a descriptor with a binding and no handler does not compile.
 *
 * Serving a new transaction (ITI-55 next): give its descriptor a binding, add it to
 * TRANSACTIONS, and add its handler to the front end's map (ITI-38/39: src/xca).
 */
import { ITI_20, ITI_81 } from './atna';
import { ERP_CANCEL, ERP_CHANGE, ERP_DISPENSE, ERP_PRESCRIBE, ERP_READ, ERP_SEARCH } from './erecept';
import type { FhirRoute, SoapBinding, TransactionDescriptor } from './descriptor';
import { ITI_65, ITI_66, ITI_67, ITI_68 } from './mhd';
import { NCP_IDENTIFY } from './ncpeh';
import { ITI_104 } from './pixm';
import { ITI_110, ITI_112, ITI_113, ITI_114 } from './dsubm';
import { ITI_38, ITI_39, ITI_55 } from './xca';
import { ITI_18, ITI_41, ITI_42, ITI_43, ITI_51, ITI_57, ITI_62, ITI_86 } from './xds-b';

export type { Access, FhirInteraction, ProtectedResource } from './access';
export type { AtcCode, AuditShape, ExchangeKind, FhirRoute, RestInteraction, SoapBinding, SoapEndpointName, TransactionDescriptor } from './descriptor';
export { ERP_CANCEL, ERP_CHANGE, ERP_DISPENSE, ERP_PRESCRIBE, ERP_READ, ERP_SEARCH, NCP_IDENTIFY };
export { ITI_110, ITI_112, ITI_113, ITI_114 };
export { ITI_18, ITI_20, ITI_38, ITI_39, ITI_41, ITI_42, ITI_43, ITI_51, ITI_55, ITI_57, ITI_62, ITI_65, ITI_66, ITI_67, ITI_68, ITI_81, ITI_86, ITI_104 };

/** Every transaction, by id. Within a front end, served in this order. */
export const TRANSACTIONS = {
  [ITI_41.id]: ITI_41,
  [ITI_42.id]: ITI_42,
  [ITI_18.id]: ITI_18,
  [ITI_51.id]: ITI_51,
  [ITI_43.id]: ITI_43,
  [ITI_57.id]: ITI_57,
  [ITI_62.id]: ITI_62,
  [ITI_86.id]: ITI_86,
  [ITI_65.id]: ITI_65,
  [ITI_68.id]: ITI_68,
  [ITI_67.id]: ITI_67,
  [ITI_66.id]: ITI_66,
  [ITI_104.id]: ITI_104,
  [ITI_110.id]: ITI_110,
  [ITI_113.id]: ITI_113,
  [ITI_114.id]: ITI_114,
  [ITI_112.id]: ITI_112,
  [ITI_20.id]: ITI_20,
  [ITI_81.id]: ITI_81,
  [ITI_38.id]: ITI_38,
  [ITI_39.id]: ITI_39,
  [ITI_55.id]: ITI_55,
  [ERP_PRESCRIBE.id]: ERP_PRESCRIBE,
  [ERP_READ.id]: ERP_READ,
  [ERP_SEARCH.id]: ERP_SEARCH,
  [ERP_CHANGE.id]: ERP_CHANGE,
  [ERP_CANCEL.id]: ERP_CANCEL,
  [ERP_DISPENSE.id]: ERP_DISPENSE,
  [NCP_IDENTIFY.id]: NCP_IDENTIFY,
} as const satisfies Record<string, TransactionDescriptor>;

export type TransactionId = keyof typeof TRANSACTIONS;
type DescriptorOf<K extends TransactionId> = (typeof TRANSACTIONS)[K];

/** Transactions with an audit shape: the ones an audit record can name. */
export type AuditedTransactionId = { [K in TransactionId]: DescriptorOf<K> extends { audit: object } ? K : never }[TransactionId];
/** Transactions served over XDS.b SOAP. */
export type SoapTransactionId = { [K in TransactionId]: DescriptorOf<K> extends { soap: SoapBinding } ? K : never }[TransactionId];
/** Transactions served over FHIR. */
export type FhirTransactionId = { [K in TransactionId]: DescriptorOf<K> extends { fhir: readonly FhirRoute[] } ? K : never }[TransactionId];
/** The routes of a FHIR transaction, as its descriptor spells them. */
export type FhirRoutesOf<K extends FhirTransactionId> = Extract<DescriptorOf<K>, { fhir: readonly FhirRoute[] }>['fhir'][number];

/** The SOAP transactions one endpoint serves (each front end pairs its own with handlers). */
export type SoapTransactionIdOn<E extends SoapBinding['endpoint']> = {
  [K in SoapTransactionId]: DescriptorOf<K> extends { soap: { endpoint: E } } ? K : DescriptorOf<K> extends { soap: { alsoOn: readonly E[] } } ? K : never;
}[SoapTransactionId];

export type SoapDescriptor = TransactionDescriptor & { id: SoapTransactionId; soap: SoapBinding };
export type FhirDescriptor = TransactionDescriptor & { id: FhirTransactionId; fhir: readonly FhirRoute[] };

const ALL: readonly TransactionDescriptor[] = Object.values(TRANSACTIONS);

export function descriptorOf(id: TransactionId): TransactionDescriptor {
  return TRANSACTIONS[id];
}

/** The XDS.b transactions, in serving order. */
export function soapTransactions(): SoapDescriptor[] {
  return ALL.filter((d): d is SoapDescriptor => d.soap !== undefined);
}

/** The SOAP transactions one endpoint serves, its own and those it serves as well (`alsoOn`). */
export function soapTransactionsOn(endpoint: SoapBinding['endpoint']): SoapDescriptor[] {
  return soapTransactions().filter((d) => d.soap.endpoint === endpoint || (d.soap.alsoOn ?? []).includes(endpoint));
}

/** The FHIR transactions, in serving order. */
export function fhirTransactions(): FhirDescriptor[] {
  return ALL.filter((d): d is FhirDescriptor => d.fhir !== undefined);
}
