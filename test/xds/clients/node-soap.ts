// The npm `soap` package as an integrator uses it: a client made from the endpoint's ?wsdl,
// the request given as the client's JS objects, WS-Addressing added as SOAP headers (the
// package does not read wsaw:UsingAddressing).
import { randomUUID } from 'node:crypto';
import { createClientAsync, type Client } from 'soap';

const WSA = 'http://www.w3.org/2005/08/addressing';

/** A client of `endpointUrl` (`…/xds/registry` or `…/xds/repository`), SOAP 1.2. */
export function nodeSoapClient(endpointUrl: string): Promise<Client> {
  return createClientAsync(`${endpointUrl}?wsdl`, { forceSoap12Headers: true });
}

/** The request element (the SOAP Body's child) of `envelope` read into the client's JS objects, by the WSDL's schema. */
export function requestObject(client: Client, envelope: string, element: string): Record<string, unknown> {
  const parsed = client.wsdl.xmlToObject(envelope) as { Body: Record<string, Record<string, unknown>> };
  return parsed.Body[element]!;
}

/** Calls `operation` with wsa:Action (from the WSDL's wsaw:Action), MessageID and To. */
export function nodeSoapCall(client: Client, endpointUrl: string, operation: string, action: string, args: Record<string, unknown>): Promise<{ result: Record<string, unknown> }> {
  client.clearSoapHeaders();
  for (const [name, value] of [['Action', action], ['MessageID', `urn:uuid:${randomUUID()}`], ['To', endpointUrl]]) {
    client.addSoapHeader({ [`wsa:${name}`]: value }, '', 'wsa', WSA);
  }
  // Operation names with a hyphen (ProvideAndRegisterDocumentSet-b) get no *Async twin: the callback form.
  const method = client[operation] as (args: unknown, cb: (err: unknown, result: Record<string, unknown>) => void) => void;
  return new Promise((resolve, reject) => {
    method.call(client, args, (err, result) => (err ? reject(err) : resolve({ result })));
  });
}
