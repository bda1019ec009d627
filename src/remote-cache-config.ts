/** The remote-document cache's settings: REMOTE_CACHE_TTL_SECONDS, REMOTE_CACHE_MAX_BYTES, REMOTE_CACHE_MAX_DOCUMENT_BYTES. */
import { positiveIntegerSetting } from './env-number';

export interface RemoteCacheConfig {
  /** How long a fetched document is served from the cache before it is fetched again. */
  ttlSeconds: number;
  /** Cached bytes kept at most; beyond, expired then least recently used documents are evicted. */
  maxBytes: number;
  /** Largest remote document fetched at all; unset: no limit beyond the remote's stated size. */
  maxDocumentBytes?: number;
}

export const DEFAULT_REMOTE_CACHE_TTL_SECONDS = 3600;
export const DEFAULT_REMOTE_CACHE_MAX_BYTES = 1024 ** 3;

export function parseRemoteCacheConfig(env: Record<string, string | undefined>): RemoteCacheConfig {
  const maxDocumentBytes = env.REMOTE_CACHE_MAX_DOCUMENT_BYTES ? positiveIntegerSetting(env, 'REMOTE_CACHE_MAX_DOCUMENT_BYTES', 1) : undefined;
  return {
    ttlSeconds: positiveIntegerSetting(env, 'REMOTE_CACHE_TTL_SECONDS', DEFAULT_REMOTE_CACHE_TTL_SECONDS),
    maxBytes: positiveIntegerSetting(env, 'REMOTE_CACHE_MAX_BYTES', DEFAULT_REMOTE_CACHE_MAX_BYTES),
    ...(maxDocumentBytes !== undefined ? { maxDocumentBytes } : {}),
  };
}
