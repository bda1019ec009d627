/**
 * One gateway per DATA_DIR: the gateway (the supervisor, with WORKERS > 1) that owns the
 * embedded cluster writes its pid into DATA_DIR/postgres.owner. A second gateway on the same
 * directory finds a live owner and is refused; a gateway killed with -9 leaves a dead owner,
 * which the next start takes over (and with it the server the dead one left running).
 */
import fs from 'node:fs';
import { processAlive } from '../../process-alive';

function ownerPid(file: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

class DataDirInUseError extends Error {}

/** Takes the directory for this process; throws DataDirInUseError while another live gateway holds it. */
export function takeOwnership(file: string, dataDir: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const pid = ownerPid(file);
    if (pid !== undefined && pid !== process.pid && processAlive(pid)) {
      throw new DataDirInUseError(
        `DATA_DIR ${dataDir} is in use by another gateway (pid ${pid}); stop that one or give this one its own DATA_DIR ` +
          `(if no gateway runs there, remove ${file})`,
      );
    }
    // The owner died without letting go (kill -9, power loss): its claim is void.
    fs.rmSync(file, { force: true });
  }
  throw new DataDirInUseError(`DATA_DIR ${dataDir}: another gateway took it while this one was starting`);
}

export function releaseOwnership(file: string): void {
  if (ownerPid(file) === process.pid) fs.rmSync(file, { force: true });
}
