// Guards the layering ARCHITECTURE.md asks for: no import cycles in src/, between files or
// between folders; a domain that imports nothing with I/O and nothing outside itself (not even
// config); front ends that never reach the SQL store. Reads the TypeScript sources, so it checks
// what is written, including type-only imports.
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
        const outsideDomain = local !== undefined && !local.startsWith(path.join(SRC, 'domain') + path.sep);
        const io = /^(node:)?(fs|net|http|https|child_process|dgram|tls)(\/|$)|^(pg|@electric-sql|bullmq|ioredis|koa)/.test(spec);
        if (outsideDomain || io) offending.push(`${path.relative(SRC, f)} imports ${spec}`);
      }
    }
    assert.deepEqual(offending, []);
  });

  /** The top-level folder of a source file (a file directly in src/ is its own unit: gateway, config, main). */
  const folderOf = (file: string) => {
    const [top, sub] = path.relative(SRC, file).split(path.sep);
    // Each bridge to a national service is a unit of its own: the eRecept bridge is wired in by
    // config and gateway, the NCPeH bridge rides on the cross-community core; neither knows the other.
    return top === 'bridges' && sub !== undefined && !sub.endsWith('.ts') ? `bridges/${sub}` : top!.replace(/\.ts$/, '');
  };

  it('front ends never import the SQL store', () => {
    const frontEnds = new Set(['fhir', 'xds', 'xca', 'bridges', 'portal']);
    const storeSql = path.join(SRC, 'store', 'sql') + path.sep;
    const offending = [...graph].flatMap(([f, targets]) =>
      frontEnds.has(folderOf(f).split('/')[0]!) ? targets.filter((t) => t.startsWith(storeSql)).map((t) => `${path.relative(SRC, f)} imports ${path.relative(SRC, t)}`) : []);
    assert.deepEqual(offending, []);
  });

  // XCA's ITI-38 is ITI-18's message between communities: the SOAP front ends share the reader.
  it('only the SOAP front ends (XDS.b, XCA) read the ITI-18 parameter syntax (slots, CE codes); the core takes the typed query', () => {
    const readers = ['slot-values', 'coded-values', 'adhoc-query', 'stored-query-request'].map((f) => path.join(SRC, 'xds', `${f}.ts`));
    for (const reader of readers) assert.ok(fs.existsSync(reader), `${path.relative(SRC, reader)} is gone: update this rule`);
    const offending = [...graph].flatMap(([f, targets]) =>
      ['xds', 'xca'].includes(folderOf(f)) ? [] : targets.filter((t) => readers.includes(t)).map((t) => `${path.relative(SRC, f)} imports ${path.relative(SRC, t)}`));
    assert.deepEqual(offending, []);
  });

  for (const [core, name] of [['registry', 'the registry'], ['audit', 'the audit layer']] as const) {
    it(`${name} reaches its store only through its ports (${core}/ports.ts)`, () => {
      const store = path.join(SRC, 'store') + path.sep;
      const offending = [...graph].flatMap(([f, targets]) =>
        folderOf(f) === core ? targets.filter((t) => t.startsWith(store)).map((t) => `${path.relative(SRC, f)} imports ${path.relative(SRC, t)}`) : []);
      assert.deepEqual(offending, []);
    });
  }

  it('no cycle between folders', () => {
    const edges = new Map<string, Map<string, string>>();
    for (const [f, targets] of graph) {
      for (const t of targets) {
        const [from, to] = [folderOf(f), folderOf(t)];
        if (from === to) continue;
        if (!edges.has(from)) edges.set(from, new Map());
        // One file that makes the edge, to name in the failure.
        if (!edges.get(from)!.has(to)) edges.get(from)!.set(to, `${path.relative(SRC, f)} -> ${path.relative(SRC, t)}`);
      }
    }
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (folder: string, trail: string[]) => {
      if (state.get(folder) === 'done') return;
      if (state.get(folder) === 'visiting') {
        const loop = [...trail.slice(trail.indexOf(folder)), folder];
        cycles.push(loop.slice(1).map((to, i) => edges.get(loop[i]!)!.get(to)!).join(', '));
        return;
      }
      state.set(folder, 'visiting');
      for (const next of edges.get(folder)?.keys() ?? []) visit(next, [...trail, folder]);
      state.set(folder, 'done');
    };
    for (const folder of edges.keys()) visit(folder, []);
    assert.deepEqual(cycles, []);
  });
});
