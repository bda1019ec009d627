// Durability helper shared by the blob store and the audit spool (a top-level unit, so the
// audit layer does not reach into store/ for it).
import fs from 'node:fs/promises';

/** fsync a directory so a rename/link/create inside it survives a power loss (no-op where unsupported). */
export async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return; // directories cannot be opened for fsync on Windows
  const fh = await fs.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
