/**
 * The community directory: COMMUNITIES_FILE read and checked at start (a bad file stops the
 * start, naming the entry and field), then re-read when the file changes or the process gets
 * SIGHUP. A reload that fails keeps the directory in use and logs why, so a half-edited file
 * never takes the gateway's communities away. Readers take a snapshot per request: one
 * fan-out sees one version of the directory from start to end.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logger';
import type { Community, CommunitySnapshot } from './community';
import { DirectoryError, parseDirectory } from './parse-directory';

/** Editors write a file in several steps (truncate, write, rename): one reload after they settle. */
const RELOAD_SETTLE_MS = 100;

type DirectoryLogger = Pick<Logger, 'info' | 'warn' | 'error'>;

export class CommunityDirectory {
  private current: CommunitySnapshot;
  private watcher: fs.FSWatcher | undefined;
  private settle: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<(snapshot: CommunitySnapshot) => void>();
  private readonly onSighup = () => this.reload('SIGHUP');

  private constructor(readonly file: string | undefined, entries: Map<string, Community>, private readonly logger?: DirectoryLogger) {
    this.current = { byId: entries, version: 1 };
  }

  /** A directory with no communities (COMMUNITIES_FILE unset): every named community is unknown. */
  static empty(): CommunityDirectory {
    return new CommunityDirectory(undefined, new Map());
  }

  /** Reads and checks `file` now. @throws DirectoryError naming the file, entry and field */
  static load(file: string, logger?: DirectoryLogger): CommunityDirectory {
    return new CommunityDirectory(path.resolve(file), readDirectory(file), logger);
  }

  /** From entries already built (tests, tools). */
  static of(entries: Iterable<Community>): CommunityDirectory {
    return new CommunityDirectory(undefined, new Map([...entries].map((c) => [c.homeCommunityId, c])));
  }

  snapshot(): CommunitySnapshot {
    return this.current;
  }

  get(homeCommunityId: string): Community | undefined {
    return this.current.byId.get(homeCommunityId);
  }

  list(): Community[] {
    return [...this.current.byId.values()];
  }

  /** Called with each new snapshot after a successful reload; returns the unsubscribe function. */
  onChange(listener: (snapshot: CommunitySnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Re-reads the file; on a problem keeps the current directory. Resolves whether it changed. */
  reload(reason = 'requested'): boolean {
    if (!this.file) return false;
    let entries: Map<string, Community>;
    try {
      entries = readDirectory(this.file);
    } catch (err) {
      this.logger?.error({ err: { message: (err as Error).message }, file: this.file, reason }, 'community directory not reloaded: keeping the previous one');
      return false;
    }
    this.current = { byId: entries, version: this.current.version + 1 };
    this.logger?.info({ file: this.file, reason, communities: [...entries.keys()], version: this.current.version }, 'community directory reloaded');
    for (const l of this.listeners) l(this.current);
    return true;
  }

  /** Reloads on changes to the file (its directory is watched, so a file replaced by rename is seen) and on SIGHUP. */
  watch(): void {
    if (!this.file || this.watcher) return;
    const name = path.basename(this.file);
    this.watcher = fs.watch(path.dirname(this.file), (_event, changed) => {
      if (changed !== null && changed !== name) return;
      clearTimeout(this.settle);
      this.settle = setTimeout(() => this.reload('file changed'), RELOAD_SETTLE_MS);
      this.settle.unref();
    });
    this.watcher.on('error', (err) => this.logger?.warn({ err }, 'community directory: watching the file failed; SIGHUP still reloads it'));
    this.watcher.unref();
    process.on('SIGHUP', this.onSighup);
  }

  close(): void {
    clearTimeout(this.settle);
    this.watcher?.close();
    this.watcher = undefined;
    process.off('SIGHUP', this.onSighup);
    this.listeners.clear();
  }
}

function readDirectory(file: string): Map<string, Community> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new DirectoryError(`COMMUNITIES_FILE ${file}: cannot be read: ${(err as Error).message}`);
  }
  try {
    return parseDirectory(text);
  } catch (err) {
    throw new DirectoryError(`COMMUNITIES_FILE ${file}: ${(err as Error).message}`);
  }
}
