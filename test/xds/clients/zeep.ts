// Runs zeep_call.py (Python zeep, Debian's python3-zeep) for one SOAP operation. Like the
// services in test/support/services.ts: without zeep a developer machine skips, CI fails.
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SERVICES_REQUIRED } from '../../support/services';

/** The script stays in test/ (tsc copies no .py to dist/). */
const SCRIPT = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'xds', 'clients', 'zeep_call.py');
/** Debian's interpreter, where python3-zeep lives, before any python3 earlier on PATH (pyenv). */
const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

export type ZeepAnswer = { ok: true; result: Record<string, unknown> } | { ok: false; error: string };

function hasZeep(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import zeep'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Call inside a mocha `before`. */
export function needZeep(ctx: Mocha.Context): void {
  if (hasZeep()) return;
  if (SERVICES_REQUIRED) throw new Error('python3-zeep is required (CI or REQUIRE_SERVICES=1) but not installed');
  ctx.skip();
}

/** `body`: the request element (the SOAP Body's child) as XML. */
export function zeepCall(wsdl: string, operation: string, body: string): Promise<ZeepAnswer> {
  return new Promise((resolve, reject) => {
    const child = execFile(PYTHON, [SCRIPT], { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`zeep_call.py failed: ${err.message}\n${stderr}`));
      resolve(JSON.parse(stdout) as ZeepAnswer);
    });
    child.stdin!.end(JSON.stringify({ wsdl, operation, body }));
  });
}
