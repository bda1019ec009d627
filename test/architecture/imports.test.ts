// Guards the layering ARCHITECTURE.md asks for: no import cycles in src/, and a domain
// that imports nothing with I/O. Reads the TypeScript sources, so it checks what is written,
// including type-only imports.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(__dirname, '..', '..', '..', 'src');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/g;

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => m[1]!);
}

function resolveLocal(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) if (fs.existsSync(candidate)) return candidate;
  return undefined;
}

describe('architecture: imports', () => {
  const files = sources(SRC);
  const graph = new Map(files.map((f) => [f, importsOf(f).map((s) => resolveLocal(f, s)).filter((x): x is string => !!x)]));

  it('src/ has no import cycles', () => {
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, trail: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'visiting') {
        cycles.push([...trail.slice(trail.indexOf(f)), f].map((x) => path.relative(SRC, x)).join(' -> '));
        return;
      }
      state.set(f, 'visiting');
      for (const next of graph.get(f) ?? []) visit(next, [...trail, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    assert.deepEqual(cycles, []);
  });

  it('src/domain imports nothing with I/O and nothing outside the domain', () => {
    const offending: string[] = [];
    for (const f of files.filter((x) => x.startsWith(path.join(SRC, 'domain') + path.sep))) {
      for (const spec of importsOf(f)) {
        const local = resolveLocal(f, spec);
        const outsideDomain = local !== undefined && !local.startsWith(path.join(SRC, 'domain') + path.sep) && !local.endsWith(path.join('src', 'config.ts'));
        const io = /^(node:)?(fs|net|http|https|child_process|dgram|tls)(\/|$)|^(pg|@electric-sql|bullmq|ioredis|koa)/.test(spec);
        if (outsideDomain || io) offending.push(`${path.relative(SRC, f)} imports ${spec}`);
      }
    }
    assert.deepEqual(offending, []);
  });
});
