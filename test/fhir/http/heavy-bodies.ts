// Hostile and heavy FHIR request bodies, generated (issue 11): deep nesting, many elements,
// many entries. Shared by the tests and bench/heavy-input.ts.

const NS = 'http://hl7.org/fhir';

/** A transaction Bundle in FHIR XML whose one extension nests `levels` extensions deep (depth levels + 1). */
export function deepXmlBundle(levels: number): string {
  return `<Bundle xmlns="${NS}"><type value="transaction"/>${'<extension url="urn:x">'.repeat(levels)}${'</extension>'.repeat(levels)}</Bundle>`;
}

/** A transaction Bundle in FHIR XML with `elements` sibling empty elements (plus the Bundle and its type). */
export function wideXmlBundle(elements: number): string {
  return `<Bundle xmlns="${NS}"><type value="transaction"/>${'<link/>'.repeat(elements - 1)}</Bundle>`;
}

/** A transaction Bundle in FHIR JSON with an array nested `levels` deep. */
export function deepJsonBundle(levels: number): string {
  return `{"resourceType":"Bundle","type":"transaction","entry":[{"resource":{"resourceType":"Basic","x":${'['.repeat(levels)}${']'.repeat(levels)}}}]}`;
}

/** A transaction Bundle in FHIR JSON of `entries` small Basic entries. */
export function manyEntriesJsonBundle(entries: number): string {
  const entry = '{"resource":{"resourceType":"Basic"},"request":{"method":"POST","url":"Basic"}}';
  return `{"resourceType":"Bundle","type":"transaction","entry":[${Array.from({ length: entries }, () => entry).join(',')}]}`;
}
