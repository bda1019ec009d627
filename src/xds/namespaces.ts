/**
 * Namespaces of the XDS.b messages (ebXML RegRep 3.0 as ITI TF-2 profiles it, the XDS.b
 * repository elements, and the RMD supplement), with the prefixes our replies use.
 */
import { RIM_NS } from './ebrim';

export const XDS_NS = {
  /** ebRIM 3.0: RegistryObjectList, Slot, ObjectRef, AdhocQuery, ... (the codec's constant). */
  rim: RIM_NS,
  /** ebRS 3.0 registry responses: RegistryResponse, RegistryErrorList. */
  rs: 'urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0',
  /** ebRS 3.0 life cycle management: SubmitObjectsRequest, RemoveObjectsRequest. */
  lcm: 'urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0',
  /** ebRS 3.0 query management: AdhocQueryRequest / AdhocQueryResponse. */
  query: 'urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0',
  /** IHE XDS.b: ProvideAndRegisterDocumentSetRequest, RetrieveDocumentSetRequest/Response. */
  xdsb: 'urn:ihe:iti:xds-b:2007',
  /** IHE RMD (Remove Metadata and Documents): RemoveDocumentsRequest. */
  rmd: 'urn:ihe:iti:rmd:2017',
} as const;
