/**
 * A FHIR JSON body -> the resource: the structural pre-scan (json-scan.ts) first, so JSON.parse
 * only ever builds a body inside the input limits, then the parse, then (only when the scan saw
 * a `\u0000` or lone-surrogate escape) the walk that names the element holding it.
 */
import { FhirHttpError } from './http-error';
import { inputLimitError } from './input-limits';
import { scanJson } from './json-scan';
import type { FhirInputLimits } from './limits';
import { unstorableTextError, unstorableTextPath } from './unstorable-text';

export function parseFhirJson(text: string, limits: FhirInputLimits): Record<string, unknown> {
  const scan = scanJson(text, limits);
  if (scan.exceeded) throw inputLimitError(scan.exceeded, 'JSON');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw FhirHttpError.of(400, 'structure', `the body is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value) || typeof (value as { resourceType?: unknown }).resourceType !== 'string') {
    throw FhirHttpError.of(400, 'structure', 'the body is not a FHIR resource (a JSON object with a resourceType)');
  }
  const resource = value as Record<string, unknown>;
  if (scan.unstorableEscape) {
    const path = unstorableTextPath(resource, String(resource.resourceType));
    if (path) throw unstorableTextError(path, path);
  }
  return resource;
}
