/** PEM files of the TLS settings, read at start (or reload) so that a missing one stops it with its name. */
import fs from 'node:fs';

/** `context` names the setting's owner in the message (e.g. "TLS listener", "outbound TLS"). */
export function readTlsFile(file: string, what: string, context: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new Error(`${context}: cannot read ${what} ${file}: ${(err as Error).message}`, { cause: err });
  }
}
