/**
 * How much each SOAP endpoint reads, in one place to tune.
 *
 * /xds/registry carries metadata only (ITI-42/18/57/62): a submission of a couple of thousand
 * DocumentEntries fits in a few megabytes, so a small limit keeps a slow or hostile client from
 * making the gateway buffer more. /xds/repository carries documents: as MTOM parts they stream to
 * the blob store and never sit in memory, so their limits are about disk, not memory; inline
 * base64 documents live inside the envelope, which is buffered and parsed, and get a larger
 * envelope limit than the registry's but far below the part limits.
 */
import type { SoapReadLimits } from '../soap';

const MB = 1024 * 1024;

export const REGISTRY_LIMITS: Partial<SoapReadLimits> = {
  maxEnvelopeBytes: 8 * MB,
  maxBodyBytes: 8 * MB,
  // Some Document Sources send everything as MTOM; a registry request has no business with many parts.
  maxParts: 4,
};

export const REPOSITORY_LIMITS: Partial<SoapReadLimits> = {
  maxEnvelopeBytes: 64 * MB,
  maxAttachmentBytes: 2 * 1024 * MB,
  maxBodyBytes: 8 * 1024 * MB,
  maxParts: 1001,
};
