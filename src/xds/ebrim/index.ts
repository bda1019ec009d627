/**
 * ebRIM 3.0 (OASIS RegRep 3.0 as IHE ITI TF-3 4.2.3 / 4.3 profiles it) <-> the domain model.
 * Pure: DOM in, DOM (or element specs) out; no I/O. The XDS SOAP handlers map through here
 * and nowhere else.
 *
 *   const list = childNamed(submitObjectsRequest, RIM_NS, 'RegistryObjectList');
 *   const { submission, warnings } = readSubmission(list);        // ITI-41/42; throws RegistryError
 *   const request = updateRequestFromList(list);                   // ITI-57; throws RegistryError
 *   el(NS_QUERY, 'query:AdhocQueryResponse', { status },
 *      registryObjectList(objects, { returnType: 'LeafClass', homeCommunityId }));   // ITI-18
 *
 * Errors are RegistryError with every problem of the message: XDSRegistryMetadataError (bad
 * metadata) or XDSMetadataUpdateOperationError (an ITI-57 operation that cannot be decoded),
 * each with `location` = the id of the object as the message gave it. Metadata that is valid but
 * has no place in the model (an unknown classification scheme, say) is ignored with an
 * XDSExtraMetadataNotSaved warning; unknown Slots are not ignored but kept in extraSlots.
 */
export { RIM_NS, RIM_PREFIX, RimObjectType, DocumentEntryUuid, SubmissionSetUuid, FolderUuid, SlotName, DocumentAvailability } from './constants';
export { readSubmission, registryObjectListToSubmission, decodeRegistryObjectList, readRegistryObjects, type ReadSubmissionResult, type DecodedObjects } from './read-list';
export { readUpdateRequest, updateRequestFromList, type ReadUpdateResult } from './read-update';
export { registryObjectSpecs, type WriteOptions } from './write-object';
export { registryObjectList, registryObjectsToElements, submissionObjects, submissionToRegistryObjectList } from './write-list';
export { Problems } from './problems';
