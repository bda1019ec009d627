// Stand-ins for remote Responding Gateways in bench/xca-fanout.ts, in a process of their own:
// one HTTP server per community, each answering every ITI-38 with the same two DocumentEntries
// after its own fixed delay, so the fan-out's cost over the slowest community can be read off.
// Args: the delays in ms, one per community. Prints the ports (JSON) once listening.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RegistryObject } from '../src/domain/metadata';
import { el, NS, renderEnvelope } from '../src/soap';
import { registryObjectList } from '../src/xds/ebrim';
import { adhocQueryResponse } from '../src/xds/transactions/registry-stored-query';

const delays = process.argv.slice(2).map(Number);

function entry(n: number, patientId: string): RegistryObject {
  return {
    kind: 'DocumentEntry', entryUuid: `urn:uuid:00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, uniqueId: `2.25.${n}`,
    objectType: 'urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1', patientId, mimeType: 'text/plain', availabilityStatus: 'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved',
    authors: [], confidentialityCodes: [{ code: 'N', scheme: '2.16.840.1.113883.5.25' }], eventCodes: [], referenceIds: [],
    classCode: { code: '11490-0', scheme: '2.16.840.1.113883.6.1', display: 'Discharge summary' }, creationTime: '20261201120000', hash: 'da39a3ee5e6b4b0d3255bfef95601890afd80709', size: 0, repositoryUniqueId: '1.2.3.4',
  } as RegistryObject;
}

function answer(home: string, patientId: string): string {
  return renderEnvelope({
    headers: [el(NS.wsa, 'wsa:Action', {}, 'urn:ihe:iti:2007:CrossGatewayQueryResponse')],
    body: [adhocQueryResponse('Success', [], registryObjectList([entry(1, patientId), entry(2, patientId)], { returnType: 'LeafClass', homeCommunityId: home }))],
  });
}

async function main(): Promise<void> {
  const ports: number[] = [];
  for (const [i, delay] of delays.entries()) {
    const body = Buffer.from(answer(`urn:oid:1.2.203.99.${100 + i}`, '7608139877^^^&1.2.203.24341.1.1&ISO'));
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => setTimeout(() => res.writeHead(200, { 'content-type': 'application/soap+xml; charset=utf-8', 'content-length': body.length }).end(body), delay));
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    ports.push((server.address() as AddressInfo).port);
  }
  process.stdout.write(`${JSON.stringify(ports)}\n`);
}

void main();
