/**
 * The AES keys of recently read blobs, so a document read again and again (a popular
 * document, a client polling) does not run HKDF on the event loop every time: issue 15
 * measured HKDF at about 0.05 ms of each small read's 0.9 ms. Each master key has its own
 * cache (a WeakMap on the key's Buffer), so two keyrings that reuse a key id never share an
 * entry, and a key dropped from the keyring takes its derived keys with it.
 *
 * Bounded (least recently used out): at 32 bytes of key and a 32-character salt per entry,
 * 4,096 entries are well under a megabyte. Holding derived keys in memory exposes nothing the
 * master keys in the same memory do not.
 */
import { deriveBlobKey } from './format';

export const MAX_CACHED_KEYS = 4096;

const caches = new WeakMap<Buffer, Map<string, Buffer>>();

/** deriveBlobKey(masterKey, salt), from the cache when this salt was seen lately. */
export function cachedBlobKey(masterKey: Buffer, salt: Buffer): Buffer {
  let cache = caches.get(masterKey);
  if (!cache) {
    cache = new Map();
    caches.set(masterKey, cache);
  }
  // latin1 maps each byte to one character: a cheap, collision-free key for 32 random bytes.
  const id = salt.toString('latin1');
  const hit = cache.get(id);
  if (hit) {
    // Re-inserted: a Map iterates in insertion order, so its first entry is the least recently used.
    cache.delete(id);
    cache.set(id, hit);
    return hit;
  }
  const key = deriveBlobKey(masterKey, salt);
  cache.set(id, key);
  if (cache.size > MAX_CACHED_KEYS) cache.delete(cache.keys().next().value!);
  return key;
}

/** How many keys are cached for `masterKey` (for tests). */
export function cachedKeyCount(masterKey: Buffer): number {
  return caches.get(masterKey)?.size ?? 0;
}
