// No Docker engine runs where this project is built, so the deployment files are checked here:
// docker-compose.yml and the Dockerfile must agree with each other and with what src/config.ts reads.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { loadConfig, type Env } from '../../src/config';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const read = (file: string): string => fs.readFileSync(path.join(ROOT, file), 'utf8');

// ---------- what the gateway reads ----------

/** Env var names loadConfig understands, taken from the source text (env.NAME / env['NAME']). */
function configEnvVars(): Set<string> {
  const source = ['src/config.ts', 'src/security/security-config.ts', 'src/audit/audit-config.ts'].map(read).join('\n');
  const names = new Set<string>();
  for (const m of source.matchAll(/\benv\.([A-Z][A-Z0-9_]*)\b/g)) names.add(m[1]!);
  for (const m of source.matchAll(/\benv\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\]/g)) names.add(m[1]!);
  return names;
}

// ---------- compose-style variable interpolation ----------

type Vars = Record<string, string>;

/** Compose interpolation: $$, $NAME, ${NAME}, ${NAME:-d}, ${NAME-d}, ${NAME:?e}, ${NAME?e}, ${NAME:+a}, ${NAME+a}. */
function interpolate(text: string, vars: Vars): string {
  return text.replace(
    /\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (_all, dollar: string | undefined, braced: string | undefined, op: string | undefined, arg: string | undefined, bare: string | undefined) => {
      if (dollar) return '$';
      const name = (braced ?? bare)!;
      const value = vars[name];
      const unsetOrEmpty = value === undefined || value === '';
      const unset = value === undefined;
      switch (op) {
        case ':-': return unsetOrEmpty ? arg! : value!;
        case '-': return unset ? arg! : value!;
        case ':?': if (unsetOrEmpty) throw new Error(`required variable ${name} is missing: ${arg}`); return value!;
        case '?': if (unset) throw new Error(`required variable ${name} is missing: ${arg}`); return value!;
        case ':+': return unsetOrEmpty ? '' : arg!;
        case '+': return unset ? '' : arg!;
        default: return value ?? '';
      }
    },
  );
}

function interpolateTree(node: unknown, vars: Vars): unknown {
  if (typeof node === 'string') return interpolate(node, vars);
  if (Array.isArray(node)) return node.map((n) => interpolateTree(n, vars));
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolateTree(v, vars)]));
  }
  return node;
}

/** Every ${...} reference in a text, with its operator. */
function references(text: string): { name: string; op: string | undefined; raw: string }[] {
  const out: { name: string; op: string | undefined; raw: string }[] = [];
  for (const m of text.replace(/\$\$/g, '').matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])[^}]*)?\}/g)) {
    out.push({ name: m[1]!, op: m[2], raw: m[0] });
  }
  return out;
}

// ---------- compose model helpers ----------

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

function obj(v: unknown, what: string): Obj {
  assert.ok(isObj(v), `${what} is not a mapping`);
  return v;
}

function envOf(service: Obj): Record<string, string> {
  const env = service.environment;
  if (env === undefined) return {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((e) => {
      const s = String(e);
      const i = s.indexOf('=');
      return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
    }));
  }
  return Object.fromEntries(Object.entries(obj(env, 'environment')).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** Container-side ports of a service: `ports` (short or long syntax) and `expose`. */
function containerPorts(service: Obj): { published: number[]; exposed: number[] } {
  const published = ((service.ports as unknown[] | undefined) ?? []).map((p) => {
    if (isObj(p)) return Number(p.target);
    const parts = String(p).replace(/\/(tcp|udp)$/, '').split(':');
    return Number(parts[parts.length - 1]);
  });
  const exposed = ((service.expose as unknown[] | undefined) ?? []).map((p) => Number(String(p).replace(/\/(tcp|udp)$/, '')));
  return { published, exposed };
}

function volumeMounts(service: Obj): { source: string; target: string }[] {
  return ((service.volumes as unknown[] | undefined) ?? []).map((v) => {
    if (isObj(v)) return { source: String(v.source), target: String(v.target) };
    const [source, target] = String(v).split(':');
    return { source: source!, target: target! };
  });
}

function healthcheckText(service: Obj): string {
  const hc = obj(service.healthcheck, 'healthcheck');
  const test = hc.test;
  return Array.isArray(test) ? test.map(String).join(' ') : String(test);
}

// ---------- Dockerfile model ----------

interface Instruction { keyword: string; args: string }
interface Stage { from: string; name?: string; instructions: Instruction[] }

function parseDockerfile(text: string): Stage[] {
  const logical: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (/^\s*#/.test(line) || line.trim() === '') continue;
    if (line.endsWith('\\')) { current += line.slice(0, -1) + ' '; continue; }
    logical.push((current + line).trim());
    current = '';
  }
  if (current.trim()) logical.push(current.trim());
  const stages: Stage[] = [];
  for (const l of logical) {
    const m = /^(\S+)\s*(.*)$/.exec(l)!;
    const keyword = m[1]!.toUpperCase();
    const args = m[2]!.trim();
    if (keyword === 'FROM') {
      const f = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args)!;
      stages.push({ from: f[1]!, ...(f[2] ? { name: f[2] } : {}), instructions: [] });
    } else if (keyword !== 'ARG' || stages.length > 0) {
      assert.ok(stages.length > 0, `Dockerfile instruction before FROM: ${l}`);
      stages[stages.length - 1]!.instructions.push({ keyword, args });
    }
  }
  return stages;
}

function envFromStage(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { args } of stage.instructions.filter((i) => i.keyword === 'ENV')) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(args)) {
      const [k, ...rest] = args.split(/\s+/);
      env[k!] = rest.join(' ');
      continue;
    }
    for (const m of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|'([^']*)'|(\S*))/g)) {
      env[m[1]!] = m[3] ?? m[4] ?? m[5] ?? '';
    }
  }
  return env;
}

const argsOf = (stage: Stage, keyword: string): string[] =>
  stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);

function jsonOrShell(args: string): string[] {
  return args.startsWith('[') ? (JSON.parse(args) as string[]) : ['/bin/sh', '-c', args];
}

// ---------- fixtures ----------

const DUMMY_KEY_ID = 'k1';
/** Values a deployer would put in .env; generated here, never committed. */
const dummyVars = (): Vars => ({
  POSTGRES_PASSWORD: crypto.randomBytes(12).toString('hex'),
  BLOB_KEYS: `${DUMMY_KEY_ID}:${crypto.randomBytes(32).toString('base64')}`,
  OAUTH_ISSUERS: 'https://idp.example.cz/realms/hie',
  OAUTH_AUDIENCE: 'https://gw.example.cz/fhir',
});

describe('deployment: docker-compose.yml and Dockerfile', () => {
  const composeText = read('docker-compose.yml');
  const dockerfileText = read('Dockerfile');
  const known = configEnvVars();
  const rawCompose = obj(parseYaml(composeText), 'docker-compose.yml');
  const vars = dummyVars();
  const compose = obj(interpolateTree(rawCompose, vars), 'interpolated compose');
  const services = obj(compose.services, 'services');
  const rawServices = obj(rawCompose.services, 'services');
  const gateway = obj(services.gateway, 'services.gateway');
  const postgres = obj(services.postgres, 'services.postgres');
  const redis = obj(services.redis, 'services.redis');
  const gatewayEnv = envOf(gateway);
  const stages = parseDockerfile(dockerfileText);
  const runtime = stages[stages.length - 1]!;
  const runtimeEnv = envFromStage(runtime);

  describe('what src/config.ts reads', () => {
    it('the env var list derived from src/config.ts contains the public interface', () => {
      for (const name of ['PORT', 'HOST', 'DATA_DIR', 'DATABASE_URL', 'REDIS_URL', 'HOME_COMMUNITY_ID',
        'REPOSITORY_UNIQUE_ID', 'PATIENT_ID_AUTHORITY', 'AUTH', 'IHE_PROFILE', 'BLOB_KEYS', 'BLOB_ACTIVE_KEY',
        'PATIENT_CHECK', 'CODE_VALIDATION', 'LOG_LEVEL']) {
        assert.ok(known.has(name), `${name} not found in src/config.ts`);
      }
    });
  });

  describe('docker-compose.yml', () => {
    it('has the gateway (built from this directory), postgres 16 and redis 7', () => {
      const build = gateway.build;
      assert.ok(build === '.' || (isObj(build) && build.context === '.'), 'gateway.build is not "."');
      assert.match(String(postgres.image), /^postgres:16(\b|[.-])/);
      assert.match(String(redis.image), /^redis:7(\b|[.-])/);
    });

    it('sets only environment variables loadConfig understands on the gateway', () => {
      const unknown = Object.keys(gatewayEnv).filter((k) => !known.has(k));
      assert.deepEqual(unknown, [], `compose sets variables src/config.ts never reads: ${unknown.join(', ')}`);
    });

    it('documents only known variables in the commented optional overrides', () => {
      const commented = [...composeText.matchAll(/^ {6,}#\s+([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);
      assert.ok(commented.length > 0, 'expected commented optional overrides');
      assert.deepEqual(commented.filter((k) => !known.has(k)), []);
    });

    it('sets no optional override to an empty string (that would beat the profile value)', () => {
      for (const [k, v] of Object.entries(gatewayEnv)) assert.notEqual(v, '', `${k} is empty`);
    });

    it('points DATABASE_URL at the postgres service, its port and its credentials', () => {
      const url = new URL(gatewayEnv.DATABASE_URL!);
      assert.match(url.protocol, /^postgres(ql)?:$/);
      assert.equal(url.hostname, 'postgres');
      assert.ok(url.hostname in services);
      const port = Number(url.port || 5432);
      const { published, exposed } = containerPorts(postgres);
      assert.ok([...published, ...exposed].includes(port), `postgres does not expose ${port}`);
      assert.equal(port, 5432, 'the postgres image listens on 5432');
      const pgEnv = envOf(postgres);
      assert.equal(decodeURIComponent(url.username), pgEnv.POSTGRES_USER);
      assert.equal(decodeURIComponent(url.password), pgEnv.POSTGRES_PASSWORD);
      assert.equal(url.password, vars.POSTGRES_PASSWORD);
      assert.equal(url.pathname, `/${pgEnv.POSTGRES_DB}`);
    });

    it('points REDIS_URL at the redis service and its port', () => {
      const url = new URL(gatewayEnv.REDIS_URL!);
      assert.equal(url.protocol, 'redis:');
      assert.equal(url.hostname, 'redis');
      assert.ok(url.hostname in services);
      const port = Number(url.port || 6379);
      const { published, exposed } = containerPorts(redis);
      assert.ok([...published, ...exposed].includes(port), `redis does not expose ${port}`);
      assert.equal(port, 6379, 'the redis image listens on 6379');
    });

    it('starts the gateway only after postgres and redis are healthy', () => {
      const dependsOn = obj(gateway.depends_on, 'gateway.depends_on');
      for (const dep of ['postgres', 'redis']) {
        assert.equal(obj(dependsOn[dep], `depends_on.${dep}`).condition, 'service_healthy', dep);
      }
    });

    it('gives every service a healthcheck of the right kind', () => {
      assert.match(healthcheckText(gateway), new RegExp(`:${gatewayEnv.PORT}/health\\b`));
      assert.match(healthcheckText(postgres), /\bpg_isready\b/);
      assert.match(healthcheckText(redis), /\bredis-cli\b.*\bping\b/);
      for (const [name, svc] of Object.entries(services)) {
        const hc = obj(obj(svc, name).healthcheck, `${name}.healthcheck`);
        assert.notEqual(hc.disable, true, `${name} healthcheck disabled`);
      }
    });

    it('publishes the gateway on the container port equal to its PORT', () => {
      const { published } = containerPorts(gateway);
      assert.ok(published.length > 0, 'gateway publishes no port');
      for (const p of published) assert.equal(p, Number(gatewayEnv.PORT));
    });

    it('keeps DATA_DIR, postgres and redis data on named volumes', () => {
      const declared = Object.keys(obj(compose.volumes, 'volumes'));
      const mounts: [Obj, string][] = [[gateway, gatewayEnv.DATA_DIR!], [postgres, '/var/lib/postgresql/data'], [redis, '/data']];
      for (const [svc, target] of mounts) {
        const m = volumeMounts(svc).find((v) => v.target === target);
        assert.ok(m, `no volume mounted at ${target}`);
        assert.ok(declared.includes(m.source), `${m.source} is not a declared named volume`);
      }
    });

    it('does not turn authentication off on a non-loopback HOST', () => {
      assert.equal(gatewayEnv.HOST, '0.0.0.0');
      assert.notEqual(gatewayEnv.AUTH, 'off');
    });

    it('takes secrets from the environment, never from the file', () => {
      const rawGatewayEnv = envOf(obj(rawServices.gateway, 'raw gateway'));
      const rawPgEnv = envOf(obj(rawServices.postgres, 'raw postgres'));
      assert.match(rawGatewayEnv.BLOB_KEYS!, /^\$\{BLOB_KEYS:\?[^}]*\}$/);
      assert.match(rawPgEnv.POSTGRES_PASSWORD!, /^\$\{POSTGRES_PASSWORD:\?[^}]*\}$/);
      assert.match(rawGatewayEnv.DATABASE_URL!, /\$\{POSTGRES_PASSWORD:\?[^}]*\}/);
      // Without them, interpolation (like `docker compose up`) refuses to go on.
      const oauth = { OAUTH_ISSUERS: vars.OAUTH_ISSUERS!, OAUTH_AUDIENCE: vars.OAUTH_AUDIENCE! };
      assert.throws(() => interpolateTree(rawCompose, { ...oauth, POSTGRES_PASSWORD: 'x' }), /BLOB_KEYS/);
      assert.throws(() => interpolateTree(rawCompose, { ...oauth, BLOB_KEYS: vars.BLOB_KEYS! }), /POSTGRES_PASSWORD/);
      // AUTH is on (not loopback): without a way to authenticate, compose refuses to start it.
      assert.throws(() => interpolateTree(rawCompose, { POSTGRES_PASSWORD: 'x', BLOB_KEYS: vars.BLOB_KEYS! }), /OAUTH_/);
    });

    it('leaves no ${VAR} that silently becomes empty when unset', () => {
      for (const ref of references(composeText)) {
        assert.ok(ref.op === ':-' || ref.op === '-' || ref.op === ':?' || ref.op === '?', `${ref.raw} has neither a default nor a required marker`);
      }
    });

    it('parses with loadConfig (AUTH on; AUTH=off refused because HOST is not loopback)', () => {
      const env: Env = { ...gatewayEnv };
      const config = loadConfig(env);
      assert.equal(config.host, '0.0.0.0');
      assert.equal(config.port, 8080);
      assert.equal(config.security.auth, 'on');
      assert.equal(config.dataDir, '/var/lib/hie-gateway');
      assert.equal(config.databaseUrl, gatewayEnv.DATABASE_URL);
      assert.equal(config.redisUrl, 'redis://redis:6379');
      assert.equal(config.blobKeys.size, 1);
      assert.equal(config.blobKeys.get(DUMMY_KEY_ID)?.length, 32);
      assert.equal(config.blobActiveKeyId, DUMMY_KEY_ID);
      assert.ok(config.homeCommunityId.length > 0 && config.repositoryUniqueId.length > 0 && config.patientIdAuthority.length > 0);
      assert.throws(() => loadConfig({ ...env, AUTH: 'off' }), /AUTH=off is only allowed while HOST is loopback \(HOST=0\.0\.0\.0\)/);
    });
  });

  describe('Dockerfile', () => {
    it('is multi-stage: a build stage compiles, the node 20 runtime stage installs production deps only', () => {
      assert.ok(stages.length >= 2, 'expected at least two stages');
      const build = stages.find((s) => s.name === 'build');
      assert.ok(build, 'no stage named "build"');
      const buildRuns = argsOf(build, 'RUN').join('\n');
      assert.match(buildRuns, /\bnpm ci\b/);
      assert.match(buildRuns, /\bnpm run build\b/);
      assert.match(runtime.from, /^node:20([.-]|$)/);
      const runtimeRuns = argsOf(runtime, 'RUN').join('\n');
      assert.match(runtimeRuns, /\bnpm ci --omit=dev\b/);
      assert.doesNotMatch(runtimeRuns.replace(/npm ci --omit=dev/g, ''), /\bnpm (ci|install)\b/);
      assert.doesNotMatch(runtimeRuns, /\bnpm run build\b/);
      const copies = argsOf(runtime, 'COPY');
      for (const dir of ['dist', 'ihe-profiles', 'wsdl']) {
        assert.ok(copies.some((c) => c.startsWith('--from=build') && new RegExp(`/app/${dir}\\b`).test(c)), `runtime does not copy ${dir} from the build stage`);
      }
    });

    it('runs as a non-root user', () => {
      const users = argsOf(runtime, 'USER');
      assert.ok(users.length > 0, 'runtime stage sets no USER');
      const user = users[users.length - 1]!;
      assert.doesNotMatch(user, /^(root|0)(:.*)?$/);
      const idxUser = runtime.instructions.findIndex((i) => i.keyword === 'USER');
      const idxCmd = runtime.instructions.findIndex((i) => i.keyword === 'CMD');
      assert.ok(idxUser >= 0 && idxUser < idxCmd);
    });

    it('sets HOST, PORT and DATA_DIR like the compose file, and only variables the gateway (or Node) reads', () => {
      assert.equal(runtimeEnv.HOST, '0.0.0.0');
      assert.equal(runtimeEnv.PORT, '8080');
      assert.equal(runtimeEnv.DATA_DIR, '/var/lib/hie-gateway');
      for (const k of ['HOST', 'PORT', 'DATA_DIR']) assert.equal(runtimeEnv[k], gatewayEnv[k], k);
      const nodeRuntime = new Set(['NODE_ENV']); // read by Koa (app.env), not by loadConfig
      assert.deepEqual(Object.keys(runtimeEnv).filter((k) => !known.has(k) && !nodeRuntime.has(k)), []);
    });

    it('EXPOSEs PORT and declares DATA_DIR a volume', () => {
      const exposed = argsOf(runtime, 'EXPOSE').flatMap((a) => a.split(/\s+/)).map((p) => Number(p.replace(/\/(tcp|udp)$/, '')));
      assert.deepEqual(exposed, [Number(runtimeEnv.PORT)]);
      const volumes = argsOf(runtime, 'VOLUME').flatMap((a) => (a.startsWith('[') ? (JSON.parse(a) as string[]) : a.split(/\s+/)));
      assert.ok(volumes.includes(runtimeEnv.DATA_DIR!));
    });

    it('has a HEALTHCHECK probing /health on PORT', () => {
      const hc = argsOf(runtime, 'HEALTHCHECK');
      assert.equal(hc.length, 1);
      assert.match(hc[0]!, /\/health\b/);
      assert.match(hc[0]!, /process\.env\.PORT|:8080\b/);
    });

    it('starts node dist/src/main.js, the same entry as package.json', () => {
      const cmd = argsOf(runtime, 'CMD');
      assert.equal(cmd.length, 1);
      assert.deepEqual(jsonOrShell(cmd[0]!), ['node', 'dist/src/main.js']);
      const pkg = JSON.parse(read('package.json')) as { main?: string; scripts?: Record<string, string> };
      assert.equal(pkg.main, 'dist/src/main.js');
      assert.equal(pkg.scripts?.start, 'node dist/src/main.js');
    });

    it('.dockerignore keeps node_modules, dist, data, .git and .env out of the build context', () => {
      const ignored = read('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
      for (const p of ['node_modules', 'dist', 'data', '.git', '.env']) assert.ok(ignored.includes(p), p);
      assert.ok(!ignored.includes('ihe-profiles') && !ignored.includes('src') && !ignored.includes('package-lock.json'));
    });
  });

  describe('no committed secrets', () => {
    for (const file of ['docker-compose.yml', 'Dockerfile', '.dockerignore']) {
      it(`${file} holds no 32-byte key literal (base64 or hex)`, () => {
        const text = read(file);
        for (const m of text.matchAll(/[A-Za-z0-9+/]{40,}={0,2}/g)) {
          assert.notEqual(Buffer.from(m[0], 'base64').length, 32, `base64 key-like literal in ${file}: ${m[0].slice(0, 6)}…`);
        }
        assert.doesNotMatch(text, /\b[0-9a-fA-F]{64}\b/, `hex key-like literal in ${file}`);
        assert.doesNotMatch(text, /BLOB_KEYS\s*[:=]\s*["']?[A-Za-z0-9_-]+:[A-Za-z0-9+/]{20,}/, `BLOB_KEYS literal in ${file}`);
      });
    }
  });
});
