/**
 * Cross-community transactions (XCA, XCPD; ITI TF-2b). ITI-38 and ITI-39 are served by the
 * Responding Gateway: ITI-18's and ITI-43's messages from another community, with the same
 * grants. ITI-55 (XCPD, HL7 v3 PRPA_IN201305UV02) is served on the same endpoint, told apart by
 * its action, and needs the grant to search patients.
 */
import { SHARED_ACCESS, on } from './access';
import type { TransactionDescriptor } from './descriptor';

export const ITI_38 = {
  id: 'ITI-38',
  name: 'Cross Gateway Query',
  audit: { kind: 'query', atc: 'ATC_DOC_SEARCH' },
  soap: { endpoint: 'responding-gateway', request: 'urn:ihe:iti:2007:CrossGatewayQuery', response: 'urn:ihe:iti:2007:CrossGatewayQueryResponse', access: SHARED_ACCESS.searchDocuments },
} as const satisfies TransactionDescriptor;

export const ITI_39 = {
  id: 'ITI-39',
  name: 'Cross Gateway Retrieve',
  audit: { kind: 'pull', atc: 'ATC_DOC_READ' },
  soap: { endpoint: 'responding-gateway', request: 'urn:ihe:iti:2007:CrossGatewayRetrieve', response: 'urn:ihe:iti:2007:CrossGatewayRetrieveResponse', access: SHARED_ACCESS.retrieveDocuments },
} as const satisfies TransactionDescriptor;

export const ITI_55 = {
  id: 'ITI-55',
  name: 'Cross Gateway Patient Discovery',
  audit: { kind: 'query' },
  soap: {
    endpoint: 'responding-gateway',
    request: 'urn:hl7-org:v3:PRPA_IN201305UV02:CrossGatewayPatientDiscovery',
    response: 'urn:hl7-org:v3:PRPA_IN201306UV02:CrossGatewayPatientDiscovery',
    access: on('Patient', 'search'),
  },
} as const satisfies TransactionDescriptor;
