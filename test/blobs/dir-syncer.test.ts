import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DirSyncer } from '../../src/store/blobs/dir-syncer';

describe('DirSyncer (group commit of directory fsyncs)', () => {
  let dir: string;
  let syncs: number;
  let restore: () => void;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dirsync-'));
    syncs = 0;
    // Count real fsync calls on directory handles.
    const probe = await fs.open(dir, 'r');
    const proto = Object.getPrototypeOf(probe) as { sync: () => Promise<void> };
    await probe.close();
    const original = proto.sync;
    proto.sync = function (this: unknown) {
      syncs++;
      return original.call(this);
    };
    restore = () => {
      proto.sync = original;
    };
  });
  afterEach(async () => {
    restore();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('sixteen concurrent callers share at most two fsync rounds', async () => {
    const syncer = new DirSyncer();
    await Promise.all(Array.from({ length: 16 }, () => syncer.sync(dir)));
    assert.ok(syncs >= 1 && syncs <= 2, `fsync ran ${syncs} times`);
    await syncer.close();
  });

  it('a caller arriving while a sync runs gets a later round, not the running one', async () => {
    const syncer = new DirSyncer();
    const first = syncer.sync(dir);
    await new Promise((r) => setImmediate(r)); // the first round has started
    const second = syncer.sync(dir);
    assert.notEqual(first, second);
    await Promise.all([first, second]);
    assert.equal(syncs, 2);
    await syncer.close();
  });

  it('sequential callers each get their own fsync', async () => {
    const syncer = new DirSyncer();
    for (let i = 0; i < 3; i++) await syncer.sync(dir);
    assert.equal(syncs, 3);
    await syncer.close();
  });
});
