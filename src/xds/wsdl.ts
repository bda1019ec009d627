/**
 * The WSDL of each endpoint and the schemas it imports, served from wsdl/ at the endpoint's own
 * URL: `?wsdl` for the WSDL, `?xsd=<name>` for wsdl/schema/<name>.xsd. The files import one
 * another by relative references of that form (schemaLocation="?xsd=rim"), which resolve against
 * whichever URL the document was fetched from, so only the service address needs filling in.
 * Files are read once, at start-up; a missing file fails the start, not a request.
 */
import fs from 'node:fs';
import path from 'node:path';

/** wsdl/ at the project root (this file runs as dist/src/xds/wsdl.js). */
export const WSDL_DIR = path.resolve(__dirname, '..', '..', '..', 'wsdl');

/** Stands for the endpoint's URL in the WSDL files (soap12:address), replaced when served. */
export const ADDRESS_PLACEHOLDER = 'urn:hie-gateway:endpoint-address';

const SCHEMA_NAME = /^[a-z][a-z0-9-]*$/;

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}

export class WsdlDocuments {
  private constructor(
    private readonly wsdl: ReadonlyMap<string, string>,
    private readonly schemas: ReadonlyMap<string, string>,
  ) {}

  /** Loads `<endpoint>.wsdl` for each endpoint name and every schema/*.xsd. */
  static load(endpoints: readonly string[], dir = WSDL_DIR): WsdlDocuments {
    const wsdl = new Map(endpoints.map((e) => [e, fs.readFileSync(path.join(dir, `${e}.wsdl`), 'utf8')]));
    const schemaDir = path.join(dir, 'schema');
    const schemas = new Map(
      fs.readdirSync(schemaDir)
        .filter((f) => f.endsWith('.xsd') && SCHEMA_NAME.test(f.slice(0, -4)))
        .map((f) => [f.slice(0, -4), fs.readFileSync(path.join(schemaDir, f), 'utf8')]),
    );
    return new WsdlDocuments(wsdl, schemas);
  }

  /** The endpoint's WSDL with its service address set to `address`. */
  wsdlFor(endpoint: string, address: string): string | undefined {
    return this.wsdl.get(endpoint)?.split(ADDRESS_PLACEHOLDER).join(escapeAttribute(address));
  }

  schema(name: string): string | undefined {
    return this.schemas.get(name);
  }
}
