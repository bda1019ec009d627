// Reading what the gateway answered: RegistryResponse-typed elements (ITI-41/42/57/62/86, the
// start of AdhocQueryResponse and RetrieveDocumentSetResponse) and SOAP faults.
import assert from 'node:assert/strict';
import type { Element } from '@xmldom/xmldom';
import { childNamed, childrenNamed, elementChildren, hasName, NS, parseFault, type SoapFault } from '../../../src/soap';
import { XDS_NS } from '../../../src/xds/namespaces';
import type { SoapReply } from './soap-client';

export const STATUS = {
  Success: 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success',
  PartialSuccess: 'urn:ihe:iti:2007:ResponseStatusType:PartialSuccess',
  Failure: 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure',
} as const;

export interface ReadError {
  code: string;
  severity: string;
  context: string;
  location: string | null;
}

export interface ReadResponse {
  status: keyof typeof STATUS;
  errors: ReadError[];
}

/** status and RegistryErrorList of any element of RegistryResponseType. */
export function readRegistryResponse(element: Element): ReadResponse {
  const uri = element.getAttribute('status') ?? '';
  const status = (Object.keys(STATUS) as (keyof typeof STATUS)[]).find((k) => STATUS[k] === uri);
  assert.ok(status, `unexpected status ${uri}`);
  const list = childNamed(element, XDS_NS.rs, 'RegistryErrorList');
  const errors = (list ? childrenNamed(list, XDS_NS.rs, 'RegistryError') : []).map((e) => ({
    code: e.getAttribute('errorCode') ?? '',
    severity: (e.getAttribute('severity') ?? '').replace('urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:', ''),
    context: e.getAttribute('codeContext') ?? '',
    location: e.getAttribute('location'),
  }));
  return { status, errors };
}

/** The reply's RegistryResponse (plain, or first child of an ITI-43 response); asserts the reply action. */
export function registryResult(reply: SoapReply, action?: string): ReadResponse {
  assert.equal(reply.status, 200, `HTTP ${reply.status}: ${faultText(reply)}`);
  if (action) assert.equal(actionOf(reply), action);
  const p = reply.payload;
  const rr = hasName(p, XDS_NS.rs, 'RegistryResponse') ? p : childNamed(p, XDS_NS.rs, 'RegistryResponse') ?? p;
  return readRegistryResponse(rr);
}

export function errorCodes(r: ReadResponse): string[] {
  return r.errors.map((e) => e.code);
}

export function actionOf(reply: SoapReply): string | undefined {
  const header = reply.envelope.header;
  const action = header && childNamed(header, NS.wsa, 'Action');
  return action?.textContent?.trim();
}

export function relatesToOf(reply: SoapReply): string | undefined {
  const header = reply.envelope.header;
  return (header && childNamed(header, NS.wsa, 'RelatesTo'))?.textContent?.trim();
}

function faultText(reply: SoapReply): string {
  return hasName(reply.payload, NS.soap12, 'Fault') ? parseFault(reply.payload).message : '(not a fault)';
}

/** The env:Fault of the reply, parsed; asserts there is one. */
export function faultOf(reply: SoapReply): SoapFault {
  assert.ok(hasName(reply.payload, NS.soap12, 'Fault'), `expected a SOAP fault, got <${reply.payload.nodeName}>`);
  return parseFault(reply.payload);
}

/** rim:RegistryObjectList children of an AdhocQueryResponse. */
export function queryObjects(reply: SoapReply): Element[] {
  assert.ok(hasName(reply.payload, XDS_NS.query, 'AdhocQueryResponse'), `expected AdhocQueryResponse, got <${reply.payload.nodeName}>`);
  const list = childNamed(reply.payload, XDS_NS.rim, 'RegistryObjectList');
  assert.ok(list, 'AdhocQueryResponse without rim:RegistryObjectList');
  return elementChildren(list);
}
