/**
 * The durable local spool for audit records the database could not take (it was down or
 * frozen when a refused request had to be recorded). Each record is one JSON line, synced
 * to disk before the caller goes on, so the refusal's answer leaves only once its record
 * would survive a crash; the replay (spool-replay.ts) moves the lines into the audit
 * tables when the database answers again.
 *
 * Several gateway processes share DATA_DIR (WORKERS), so files are named
 * `<pid>.<id>.<state>`: a process appends only to its own `open` file and replays only
 * `replay` files it renamed to its own pid. A rename is atomic, so two processes never
 * replay the same file; the files of a process that died (its pid no longer runs) are
 * taken over by whoever looks next.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { fsyncDir } from '../fsync-dir';
import { processAlive } from '../process-alive';
import type { AuditEvent } from './fhir-audit-event';

interface SpoolFile {
  pid: number;
  id: string;
  state: 'open' | 'replay';
}

function parseName(name: string): SpoolFile | undefined {
  const m = /^(\d+)\.([0-9a-f-]{36})\.(open|replay)$/.exec(name);
  return m ? { pid: Number(m[1]), id: m[2]!, state: m[3] as SpoolFile['state'] } : undefined;
}

const nameOf = (f: SpoolFile) => `${f.pid}.${f.id}.${f.state}`;

export class AuditSpool {
  private current: { file: SpoolFile; handle: FileHandle } | undefined;
  /** Appends and rotations run one after another, so a rotation never cuts a record in two. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(readonly dir: string) {}

  /** Resolves once the events are on disk (data synced; the file's directory entry too when the file is new). */
  append(events: readonly AuditEvent[]): Promise<void> {
    const lines = events.map((e) => `${JSON.stringify(e)}\n`).join('');
    return this.serial(async () => {
      const { handle } = this.current ?? (await this.openFile());
      await handle.appendFile(lines);
      await handle.datasync();
    });
  }

  /** Whether any spool file exists (of this process or another): what a replay round first asks. */
  async hasFiles(): Promise<boolean> {
    const names = await fs.readdir(this.dir).catch(() => []);
    return names.some((n) => parseName(n) !== undefined);
  }

  /**
   * The files to replay now, renamed to this process: its own open file (closed first, so
   * new records go to a new one), its earlier unfinished replays, and any file of a process
   * that no longer runs.
   */
  claim(): Promise<string[]> {
    return this.serial(async () => {
      const names = await fs.readdir(this.dir).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? [] : Promise.reject(err)));
      const claimed: string[] = [];
      for (const name of names) {
        const f = parseName(name);
        if (!f) continue;
        const mine = f.pid === process.pid;
        if (mine && f.state === 'replay') {
          claimed.push(path.join(this.dir, name));
          continue;
        }
        if (mine && this.current?.file.id === f.id) {
          await this.current.handle.close();
          this.current = undefined;
        } else if (!mine && processAlive(f.pid)) {
          continue;
        }
        // (an open file with our pid that is not ours was left by an earlier process with the same pid)
        const target = path.join(this.dir, nameOf({ pid: process.pid, id: f.id, state: 'replay' }));
        try {
          await fs.rename(path.join(this.dir, name), target);
          claimed.push(target);
        } catch (err) {
          // Another process took it first.
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        }
      }
      return claimed;
    });
  }

  /** The records of a claimed file; a line cut short by a crash mid-write is skipped. */
  async read(file: string): Promise<AuditEvent[]> {
    const text = await fs.readFile(file, 'utf8');
    return text.split('\n').flatMap((line) => {
      if (line === '') return [];
      try {
        return [JSON.parse(line) as AuditEvent];
      } catch {
        return [];
      }
    });
  }

  /** A replayed file, once its records have committed. */
  async remove(file: string): Promise<void> {
    await fs.rm(file, { force: true });
  }

  async close(): Promise<void> {
    await this.serial(async () => {
      await this.current?.handle.close();
      this.current = undefined;
    });
  }

  private async openFile(): Promise<{ file: SpoolFile; handle: FileHandle }> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file: SpoolFile = { pid: process.pid, id: randomUUID(), state: 'open' };
    const handle = await fs.open(path.join(this.dir, nameOf(file)), 'a', 0o600);
    await fsyncDir(this.dir);
    this.current = { file, handle };
    return this.current;
  }

  private serial<T>(step: () => Promise<T>): Promise<T> {
    const run = this.chain.then(step, step);
    this.chain = run.catch(() => undefined);
    return run;
  }
}
