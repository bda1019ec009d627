/**
 * Loading a new CRL (or certificate, key, CA bundle) into a running listener, so a
 * revocation takes effect without a restart.
 *
 * server.setSecureContext() only affects connections made afterwards: a client already
 * connected (HTTP keep-alive) keeps the verification it passed at its handshake until the
 * connection closes. Callers that must cut a revoked node off at once have to close the
 * existing connections too (e.g. server.closeIdleConnections(), or their own tracking).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type https from 'node:https';
import type { TlsListenerConfig } from './config';
import { listenerSecureContextOptions } from './secure-context';

/**
 * Re-reads the configured files and replaces the server's secure context. On any error
 * (unreadable file, no CRL in crlFile, key not matching the certificate) it throws and the
 * server keeps its current context: a broken CRL update must not turn checking off.
 */
export function reloadTlsContext(server: https.Server, config: TlsListenerConfig): void {
  // requestCert is fixed when the server is created and setSecureContext does not change
  // it. A reload without clientCaFile on a server that asks for client certificates would
  // leave `ca` unset, and Node would then verify clients against its public root store.
  const requestsCert = (server as unknown as { requestCert?: unknown }).requestCert === true;
  if (requestsCert && !config.clientCaFile) throw new Error('TLS reload: this listener requires client certificates; clientCaFile cannot be dropped without a restart');
  if (!requestsCert && config.clientCaFile) throw new Error('TLS reload: this listener does not request client certificates; enabling mutual TLS needs a restart');

  server.setSecureContext(listenerSecureContextOptions(config));
  // A session resumed from a ticket skips certificate verification: the new CRL would not
  // apply to a client that resumes a session made before its revocation. The new context
  // comes with fresh ticket keys already; set them explicitly so that stays true even if
  // the server was started with fixed ticketKeys.
  server.setTicketKeys(crypto.randomBytes(48));
}

export interface TlsWatchOptions {
  /** How often the files are polled. Default 30 s. */
  intervalMs?: number;
  onReload?: () => void;
  /** A reload that failed; the server keeps its previous context. */
  onError?: (err: Error) => void;
}

export interface TlsWatch {
  close(): void;
}

/**
 * Reloads the secure context whenever one of the configured files changes. Polling
 * (fs.watchFile) rather than fs.watch: CRLs are usually replaced by renaming a new file over
 * the old one, or by a Kubernetes secret swapping a symlink, which inotify-based watching of
 * the old file misses. Polling does not keep the process alive.
 */
export function watchTlsContext(server: https.Server, config: TlsListenerConfig, options: TlsWatchOptions = {}): TlsWatch {
  const files = [...new Set([config.certFile, config.keyFile, config.clientCaFile, config.crlFile].filter((f): f is string => !!f))];
  const interval = options.intervalMs ?? 30_000;
  let pending: NodeJS.Timeout | undefined;
  const reload = () => {
    pending = undefined;
    try {
      reloadTlsContext(server, config);
      options.onReload?.();
    } catch (err) {
      options.onError?.(err as Error);
    }
  };
  const changed = (current: fs.Stats, previous: fs.Stats) => {
    if (current.mtimeMs === previous.mtimeMs && current.size === previous.size && current.ino === previous.ino) return;
    // A certificate and its key are often replaced one after the other: wait for the
    // second before building a context from the pair.
    if (pending) clearTimeout(pending);
    pending = setTimeout(reload, Math.min(interval, 500));
    pending.unref();
  };
  for (const file of files) fs.watchFile(file, { interval, persistent: false }, changed);
  return {
    close() {
      if (pending) clearTimeout(pending);
      pending = undefined;
      for (const file of files) fs.unwatchFile(file, changed);
    },
  };
}
