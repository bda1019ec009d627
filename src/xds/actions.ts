/**
 * An XDS.b transaction as the SOAP layer needs it: its id and WS-Addressing actions, taken
 * from its descriptor (src/transactions), which is where they are declared.
 */
import { ITI_18, ITI_38, ITI_39, ITI_55, ITI_41, ITI_42, ITI_43, ITI_51, ITI_57, ITI_62, ITI_86, type SoapDescriptor, type SoapTransactionId } from '../transactions';

export interface XdsTransaction {
  id: SoapTransactionId;
  request: string;
  response: string;
}

export function xdsTransactionOf(descriptor: SoapDescriptor): XdsTransaction {
  return { id: descriptor.id, request: descriptor.soap.request, response: descriptor.soap.response };
}

/**
 * Short names for the transactions' actions, for tests and clients that speak of them by
 * name. Serving a transaction needs no entry here: the endpoints read the descriptors.
 */
export const XDS_TRANSACTIONS = {
  provideAndRegister: xdsTransactionOf(ITI_41),
  register: xdsTransactionOf(ITI_42),
  storedQuery: xdsTransactionOf(ITI_18),
  crossGatewayQuery: xdsTransactionOf(ITI_38),
  multiPatientQuery: xdsTransactionOf(ITI_51),
  retrieve: xdsTransactionOf(ITI_43),
  crossGatewayRetrieve: xdsTransactionOf(ITI_39),
  crossGatewayPatientDiscovery: xdsTransactionOf(ITI_55),
  update: xdsTransactionOf(ITI_57),
  delete: xdsTransactionOf(ITI_62),
  removeDocuments: xdsTransactionOf(ITI_86),
} as const satisfies Record<string, XdsTransaction>;
