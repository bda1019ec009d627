/**
 * Problems found while reading ebRIM, collected rather than thrown one by one: a submitter
 * fixing a message wants every error of it in one RegistryResponse, not one per round trip.
 */
import { XdsErrorCode } from '../../domain/error-codes';
import { RegistryError, type RegistryErrorDetail } from '../../domain/registry-error';

export class Problems {
  readonly errors: RegistryErrorDetail[] = [];
  readonly warnings: RegistryErrorDetail[] = [];

  /** `location` is the id of the object the problem is on (as the message gave it). */
  error(location: string, context: string, code: XdsErrorCode = XdsErrorCode.XDSRegistryMetadataError): void {
    this.errors.push({ code, severity: 'Error', context, location });
  }

  /** Metadata that is well-formed but has no place in the domain model: accepted, not stored. */
  ignored(location: string, context: string): void {
    this.warnings.push({ code: XdsErrorCode.XDSExtraMetadataNotSaved, severity: 'Warning', context, location });
  }

  /** Whether an error is already recorded at `location` (so a follow-on error would only repeat it). */
  hasErrorAt(location: string): boolean {
    return this.errors.some((e) => e.location === location);
  }

  /** Throws every error collected so far as one RegistryError. */
  throwIfErrors(): void {
    if (this.errors.length > 0) throw new RegistryError(this.errors);
  }
}
