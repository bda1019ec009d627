/**
 * The database did not answer in time (down, restarting, frozen, unreachable). Thrown by
 * the store adapter in place of the driver's error, so that the core and both front ends
 * treat it as the registry being busy: a RegistryError with XDSRegistryBusy, which FHIR
 * answers as 503 (issue `transient`) and XDS.b as the transaction's Failure response
 * (ITI TF-3 4.2.4: "too busy, retry later"). Nothing was changed by the failed request.
 */
import { XdsErrorCode } from './error-codes';
import { RegistryError } from './registry-error';

/** What a client refused as busy is told to wait: the store usually answers again within seconds of a restart. */
export const BUSY_RETRY_AFTER_SECONDS = 5;

export class StoreUnavailableError extends RegistryError {
  readonly retryAfterSeconds = BUSY_RETRY_AFTER_SECONDS;

  constructor(readonly reason: string) {
    super({ code: XdsErrorCode.XDSRegistryBusy, severity: 'Error', context: `the registry database is unavailable; retry in ${BUSY_RETRY_AFTER_SECONDS} s` });
    this.name = 'StoreUnavailableError';
  }
}
