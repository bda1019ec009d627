/**
 * A request body's bytes as text: FHIR bodies are UTF-8 (FHIR R4 http.html); invalid UTF-8 is
 * refused, not patched over, and an empty body is named as such.
 */
import { decodeUtf8Strict } from '../../bytes';
import { FhirHttpError } from './http-error';

export function decodeUtf8(body: Uint8Array): string {
  try {
    return decodeUtf8Strict(body);
  } catch {
    throw FhirHttpError.of(400, 'structure', 'the request body is not valid UTF-8');
  }
}

/** The body as text; 400 when it is not UTF-8 or holds nothing but whitespace. */
export function resourceText(body: Uint8Array): string {
  const text = decodeUtf8(body);
  if (text.trim() === '') throw FhirHttpError.of(400, 'required', 'the request has no body');
  return text;
}
