/**
 * Which community a cross-community request (XCA ITI-38/39) is for. A Responding Gateway answers
 * for its own community only: a request naming another one is XDSUnknownCommunity, and an ITI-39
 * DocumentRequest must name one at all (ITI TF-2b 3.39.4.1.2: HomeCommunityId is required).
 */
import { XdsErrorCode } from './error-codes';
import { RegistryError } from './registry-error';

/** Throws unless `named` is this community (`local`); `named` absent passes unless `required`. */
export function requireOwnCommunity(named: string | undefined, local: string, required: boolean, location?: string): void {
  if (named === undefined) {
    if (required) throw RegistryError.of(XdsErrorCode.XDSMissingHomeCommunityId, 'the request names no homeCommunityId', location);
    return;
  }
  if (named !== local) throw RegistryError.of(XdsErrorCode.XDSUnknownCommunity, `community ${named} is not this gateway's (${local})`, location ?? named);
}
