/**
 * Collects every problem of a mapping instead of stopping at the first, so one ITI-65
 * response tells the sender all that is wrong. Each problem names the FHIR element by
 * path (e.g. `Bundle.entry[1].resource.content[0].attachment.contentType`).
 */
import { XdsErrorCode } from '../../../domain/error-codes';
import { RegistryError, type RegistryErrorDetail } from '../../../domain/registry-error';

export class Problems {
  readonly list: RegistryErrorDetail[] = [];

  error(location: string, context: string, code: XdsErrorCode = XdsErrorCode.XDSRegistryMetadataError): void {
    this.list.push({ code, severity: 'Error', context, location });
  }

  warning(location: string, context: string, code: XdsErrorCode): void {
    this.list.push({ code, severity: 'Warning', context, location });
  }

  get errors(): RegistryErrorDetail[] {
    return this.list.filter((p) => p.severity === 'Error');
  }

  get warnings(): RegistryErrorDetail[] {
    return this.list.filter((p) => p.severity === 'Warning');
  }

  /** Throws one RegistryError carrying every error collected so far. */
  throwIfErrors(): void {
    const errors = this.errors;
    if (errors.length > 0) throw new RegistryError(errors);
  }
}

/** Appends a child element to a FHIR path: `at('DocumentReference', 'content', 0)` -> `DocumentReference.content[0]`. */
export function at(path: string, element: string, index?: number): string {
  return `${path}.${element}${index === undefined ? '' : `[${index}]`}`;
}

/** An item of a repeating element: `item('DocumentReference.author', 1)` -> `DocumentReference.author[1]`. */
export function item(path: string, index: number): string {
  return `${path}[${index}]`;
}

/** Runs a mapping and throws a RegistryError when it reported errors; for the single-resource entry points. */
export function mapOrThrow<T>(run: (problems: Problems) => T): T {
  const problems = new Problems();
  const value = run(problems);
  problems.throwIfErrors();
  return value;
}
