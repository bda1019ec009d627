/**
 * The XDS.b transactions served here with their WS-Addressing actions (ITI TF-2; ITI-51 from the
 * Multi-Patient Queries supplement, ITI-57/62 from XDS Metadata Update and RMD, ITI-86 from RMD),
 * and the XCA ones (ITI-38/39), which carry the same messages as ITI-18 and ITI-43. The reply
 * action is the request action with "Response" appended for every one of them; it is spelled out anyway so
 * that a search for either URI finds this table.
 */
export interface XdsTransaction {
  id: 'ITI-41' | 'ITI-42' | 'ITI-18' | 'ITI-38' | 'ITI-51' | 'ITI-43' | 'ITI-39' | 'ITI-57' | 'ITI-62' | 'ITI-86';
  request: string;
  response: string;
}

export const XDS_TRANSACTIONS = {
  provideAndRegister: { id: 'ITI-41', request: 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b', response: 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-bResponse' },
  register: { id: 'ITI-42', request: 'urn:ihe:iti:2007:RegisterDocumentSet-b', response: 'urn:ihe:iti:2007:RegisterDocumentSet-bResponse' },
  storedQuery: { id: 'ITI-18', request: 'urn:ihe:iti:2007:RegistryStoredQuery', response: 'urn:ihe:iti:2007:RegistryStoredQueryResponse' },
  crossGatewayQuery: { id: 'ITI-38', request: 'urn:ihe:iti:2007:CrossGatewayQuery', response: 'urn:ihe:iti:2007:CrossGatewayQueryResponse' },
  multiPatientQuery: { id: 'ITI-51', request: 'urn:ihe:iti:2009:MultiPatientStoredQuery', response: 'urn:ihe:iti:2009:MultiPatientStoredQueryResponse' },
  retrieve: { id: 'ITI-43', request: 'urn:ihe:iti:2007:RetrieveDocumentSet', response: 'urn:ihe:iti:2007:RetrieveDocumentSetResponse' },
  crossGatewayRetrieve: { id: 'ITI-39', request: 'urn:ihe:iti:2007:CrossGatewayRetrieve', response: 'urn:ihe:iti:2007:CrossGatewayRetrieveResponse' },
  update: { id: 'ITI-57', request: 'urn:ihe:iti:2010:UpdateDocumentSet', response: 'urn:ihe:iti:2010:UpdateDocumentSetResponse' },
  delete: { id: 'ITI-62', request: 'urn:ihe:iti:2010:DeleteDocumentSet', response: 'urn:ihe:iti:2010:DeleteDocumentSetResponse' },
  removeDocuments: { id: 'ITI-86', request: 'urn:ihe:iti:2017:RemoveDocuments', response: 'urn:ihe:iti:2017:RemoveDocumentsResponse' },
} as const satisfies Record<string, XdsTransaction>;
