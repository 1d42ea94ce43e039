/**
 * The deployment files hang together, without a Docker engine or a cluster: every object under
 * deploy/kubernetes validates against the Kubernetes schemas (kubernetes-models), the objects agree
 * with one another (Secret keys = the config's ${VAR}s, selectors, ports, the Redis URL) and the
 * config they carry passes the gateway's own loader; the Dockerfile (parsed with dockerfile-ast)
 * builds a non-root production image with the SDL next to dist/ from files that exist and
 * .dockerignore lets through; the Prometheus alerts pass
 * `promtool check rules` and their unit tests (deploy/prometheus/alerts.test.yml).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Cmd, Copy, DockerfileParser, Env, Healthcheck, type Instruction } from 'dockerfile-ast';
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { PodDisruptionBudget, type IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap, type IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { Secret, type ISecret } from 'kubernetes-models/v1/Secret';
import { Service, type IService } from 'kubernetes-models/v1/Service';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { parseConfig } from '../../src/config.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const K8S_DIR = join(ROOT, 'deploy/kubernetes');
const PROMTOOL = '/usr/bin/promtool';

interface K8sObject {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: string; labels?: Record<string, string> };
}

/** The kinds the manifests may hold, by apiVersion/kind: anything else is a mistake. */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

function loadManifests(): { file: string; object: K8sObject }[] {
  const files = readdirSync(K8S_DIR).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'));
  return files.flatMap((file) =>
    parseAllDocuments(readFileSync(join(K8S_DIR, file), 'utf8')).flatMap((doc) => {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
      const object = doc.toJS() as K8sObject | null;
      return object === null ? [] : [{ file, object }];
    }),
  );
}

const manifests = loadManifests();

function find<T>(kind: string, name: string): T {
  const found = manifests.filter(({ object }) => object.kind === kind && object.metadata?.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name} under deploy/kubernetes, found ${found.length}`);
  return found[0]!.object as T;
}

const gateway = find<IDeployment>('Deployment', 'backupql');
const redis = find<IDeployment>('Deployment', 'backupql-redis');
const configMap = find<IConfigMap>('ConfigMap', 'backupql-config');
const gatewayPod = gateway.spec!.template;
const container = (deployment: IDeployment): IContainer => {
  const containers = deployment.spec!.template.spec!.containers;
  expect(containers).toHaveLength(1);
  return containers[0]!;
};
const configText = (): string => {
  const text = configMap.data?.['config.yaml'];
  if (text === undefined) throw new Error('ConfigMap backupql-config has no config.yaml');
  return text;
};
const config = parseYaml(configText()) as { server?: { port?: number }; cache?: { redis?: { url?: string } }; sources?: unknown[] };

/** A selector matches a pod when every one of its labels is on the pod. */
function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** Every `${VAR}` in the string values (the loader substitutes values only, not keys). */
function envVars(value: unknown, found = new Set<string>()): Set<string> {
  if (typeof value === 'string') for (const m of value.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) found.add(m[1]!);
  else if (Array.isArray(value)) for (const v of value) envVars(v, found);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) envVars(v, found);
  return found;
}

describe('Kubernetes manifests', () => {
  it('every object is a known kind and validates against the Kubernetes schemas', () => {
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const { file, object } of manifests) {
      const key = `${String(object.apiVersion)}/${String(object.kind)}`;
      const Model = MODELS[key];
      const id = `${file}: ${key} ${object.metadata?.name ?? '(no name)'}`;
      if (!Model) {
        problems.push(`${id}: unknown kind`);
        continue;
      }
      if (!object.metadata?.name) problems.push(`${id}: no metadata.name`);
      if (seen.has(`${key}/${object.metadata?.name}`)) problems.push(`${id}: defined twice`);
      seen.add(`${key}/${object.metadata?.name}`);
      try {
        new Model(object as never).validate();
      } catch (err) {
        problems.push(`${id}: ${(err as Error).message}`);
      }
    }
    expect(problems).toEqual([]);
    expect([...seen].sort()).toEqual(
      expect.arrayContaining([
        'apps/v1/Deployment/backupql',
        'apps/v1/Deployment/backupql-redis',
        'policy/v1/PodDisruptionBudget/backupql',
        'v1/ConfigMap/backupql-config',
        'v1/Secret/backupql-secrets',
        'v1/Service/backupql',
        'v1/Service/backupql-redis',
      ]),
    );
    // The validation is live: the same Deployment with a malformed field is refused.
    expect(() => new Deployment({ ...gateway, spec: { ...gateway.spec!, replicas: 'three' as unknown as number } }).validate()).toThrow(/replicas/);
  });

  it('the gateway Deployment runs 3 replicas with probes, resources and a rolling update the PDB allows', () => {
    const spec = gateway.spec!;
    expect(spec.replicas).toBe(3);
    expect(selects(spec.selector.matchLabels, gatewayPod.metadata?.labels)).toBe(true);
    const c = container(gateway);
    expect(c.ports).toEqual([expect.objectContaining({ name: 'http', containerPort: 4000 })]);
    expect(c.readinessProbe?.httpGet).toMatchObject({ path: '/readiness', port: 'http' });
    expect(c.livenessProbe?.httpGet).toMatchObject({ path: '/health', port: 'http' });
    expect(c.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } });
    expect(spec.strategy?.type).toBe('RollingUpdate');
    const pdb = find<IPodDisruptionBudget>('PodDisruptionBudget', 'backupql');
    const maxUnavailable = spec.strategy?.rollingUpdate?.maxUnavailable;
    expect(typeof maxUnavailable).toBe('number');
    // A rollout never takes the ready replicas below the PDB's floor.
    expect(spec.replicas! - (maxUnavailable as number)).toBeGreaterThanOrEqual(pdb.spec!.minAvailable as number);
  });

  it('the gateway runs as a non-root user on a read-only root file system, without privilege escalation', () => {
    const c = container(gateway);
    const effective = { ...gatewayPod.spec!.securityContext, ...c.securityContext };
    expect(effective.runAsNonRoot).toBe(true);
    expect(effective.runAsUser).toBe(1000);
    expect(c.securityContext?.readOnlyRootFilesystem).toBe(true);
    expect(c.securityContext?.allowPrivilegeEscalation).toBe(false);
  });

  it('the config file is the ConfigMap mounted at /etc/backupql, and the container is told to read it', () => {
    const c = container(gateway);
    const mount = c.volumeMounts?.find((m) => m.mountPath === '/etc/backupql');
    expect(mount).toBeDefined();
    const volume = gatewayPod.spec!.volumes?.find((v) => v.name === mount!.name);
    expect(volume?.configMap?.name).toBe(configMap.metadata?.name);
    const item = volume?.configMap?.items?.find((i) => i.key === 'config.yaml');
    const args = c.args ?? [];
    expect(args[args.indexOf('--config') + 1]).toBe(posix.join(mount!.mountPath, item?.path ?? 'config.yaml'));
    expect(config.server?.port).toBe(c.ports?.[0]?.containerPort);
  });

  it("the Secret's keys are exactly the config's ${VAR}s, its values placeholders, and the gateway gets them all", () => {
    const secret = find<ISecret>('Secret', 'backupql-secrets');
    expect(secret.type).toBe('Opaque');
    const keys = [...Object.keys(secret.stringData ?? {}), ...Object.keys(secret.data ?? {})].sort();
    const vars = [...envVars(config)].sort();
    expect(vars.length).toBeGreaterThan(0);
    expect(keys).toEqual(vars);
    // Placeholders only: no real credential is ever committed here.
    for (const value of Object.values(secret.stringData ?? {})) expect(value).toBe('REPLACE_ME');
    expect(secret.data).toBeUndefined();
    expect(container(gateway).envFrom).toEqual([{ secretRef: { name: secret.metadata?.name } }]);
  });

  it("the gateway's own loader accepts the config once the Secret's variables are set", () => {
    const env = Object.fromEntries([...envVars(config)].map((v) => [v, 'placeholder-value']));
    const loaded = parseConfig(configText(), 'deploy/kubernetes/configmap.yaml', env);
    expect(loaded.sources.length).toBeGreaterThan(0);
    expect(loaded.cache.redis?.url).toBe(config.cache?.redis?.url);
    // And refuses it without them (the variables are what the Secret must provide).
    expect(() => parseConfig(configText(), 'deploy/kubernetes/configmap.yaml', {})).toThrow(/environment variable \w+ is not set/);
  });

  it('the Service sends port 80 to the gateway pods, and to them only', () => {
    const service = find<IService>('Service', 'backupql');
    expect(service.spec?.type ?? 'ClusterIP').toBe('ClusterIP');
    expect(selects(service.spec?.selector, gatewayPod.metadata?.labels)).toBe(true);
    expect(selects(service.spec?.selector, redis.spec!.template.metadata?.labels)).toBe(false);
    expect(service.spec?.ports).toEqual([expect.objectContaining({ port: 80, targetPort: 'http' })]);
  });

  it('the PodDisruptionBudget (policy/v1) keeps 2 gateway pods available, and lets a drain go on', () => {
    const pdb = find<IPodDisruptionBudget>('PodDisruptionBudget', 'backupql');
    expect(pdb.apiVersion).toBe('policy/v1');
    expect(pdb.spec?.minAvailable).toBe(2);
    expect(pdb.spec!.minAvailable as number).toBeLessThan(gateway.spec!.replicas!);
    expect(selects(pdb.spec?.selector?.matchLabels, gatewayPod.metadata?.labels)).toBe(true);
    expect(selects(pdb.spec?.selector?.matchLabels, redis.spec!.template.metadata?.labels)).toBe(false);
  });

  it("Redis runs as its own Deployment and Service, and the config's cache.redis.url names that Service", () => {
    expect(redis.spec?.replicas).toBe(1);
    const c = container(redis);
    expect(c.image).toBe('redis:7-alpine');
    expect(c.readinessProbe).toBeDefined();
    expect(c.livenessProbe).toBeDefined();
    expect(c.resources?.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    expect(c.resources?.limits).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    const service = find<IService>('Service', 'backupql-redis');
    expect(selects(service.spec?.selector, redis.spec!.template.metadata?.labels)).toBe(true);
    expect(selects(service.spec?.selector, gatewayPod.metadata?.labels)).toBe(false);
    const port = service.spec?.ports?.[0];
    expect(port?.port).toBe(6379);
    expect(c.ports?.some((p) => p.name === port?.targetPort || p.containerPort === port?.targetPort)).toBe(true);

    const url = new URL(config.cache?.redis?.url ?? '');
    expect(url.protocol).toBe('redis:');
    // The Service's name, alone or as the first label of its cluster DNS name.
    expect(url.hostname.split('.')[0]).toBe(service.metadata?.name);
    expect(Number(url.port || 6379)).toBe(port?.port);
  });
});

describe('Dockerfile', () => {
  const dockerfile = DockerfileParser.parse(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
  const instructions = dockerfile.getInstructions();
  const froms = dockerfile.getFROMs();
  const line = (i: Instruction) => i.getRange().start.line;
  const lastFrom = froms[froms.length - 1]!;
  const runtime = instructions.filter((i) => line(i) >= line(lastFrom));
  const build = instructions.filter((i) => line(i) >= line(froms[0]!) && (froms.length < 2 || line(i) < line(froms[1]!)));

  /** Where each COPY of a stage puts each source, resolved against the stage's WORKDIR. */
  function copies(stage: Instruction[]): { from: string | undefined; source: string; dest: string }[] {
    let workdir = '/';
    return stage.flatMap((i) => {
      if (i.getKeyword() === 'WORKDIR') workdir = posix.resolve(workdir, i.getArgumentsContent() ?? '');
      if (!(i instanceof Copy)) return [];
      const args = i.getArguments().map((a) => a.getValue());
      const target = args[args.length - 1]!;
      const sources = args.slice(0, -1);
      return sources.map((source) => {
        const base = posix.resolve(workdir, target);
        const dest = target.endsWith('/') || sources.length > 1 ? posix.join(base, posix.basename(source)) : base;
        return { from: i.getFromFlag()?.getValue() ?? undefined, source, dest };
      });
    });
  }
  const workdirOf = (stage: Instruction[]) =>
    posix.resolve('/', ...stage.filter((i) => i.getKeyword() === 'WORKDIR').map((i) => i.getArgumentsContent() ?? ''));

  it('uses only known instructions, in at least two stages: build and a Node 20 runtime', () => {
    const known = [
      'FROM',
      'RUN',
      'CMD',
      'LABEL',
      'EXPOSE',
      'ENV',
      'ADD',
      'COPY',
      'ENTRYPOINT',
      'VOLUME',
      'USER',
      'WORKDIR',
      'ARG',
      'ONBUILD',
      'STOPSIGNAL',
      'HEALTHCHECK',
      'SHELL',
    ];
    expect(instructions.map((i) => i.getKeyword()).filter((k) => !known.includes(k))).toEqual([]);
    expect(froms.length).toBeGreaterThanOrEqual(2);
    expect(froms[0]!.getBuildStage()).toBe('build');
    for (const from of froms) expect(from.getImage()).toBe('node:20-bookworm-slim');
  });

  it('the build stage installs, compiles, then drops the devDependencies', () => {
    const runs = build.filter((i) => i.getKeyword() === 'RUN').map((i) => i.getArgumentsContent() ?? '');
    const text = runs.join('\n');
    expect(text).toMatch(/\bnpm ci\b/);
    const compile = text.indexOf('npm run build');
    const prune = text.search(/npm (ci|prune)\b[^\n&]*--omit=dev/);
    expect(compile).toBeGreaterThanOrEqual(0);
    expect(prune).toBeGreaterThan(compile);
  });

  it('the runtime stage sets NODE_ENV=production, runs as a non-root user, exposes 4000', () => {
    const env = runtime.filter((i): i is Env => i instanceof Env).flatMap((e) => e.getProperties().map((p) => [p.getName(), p.getValue()]));
    expect(env).toContainEqual(['NODE_ENV', 'production']);
    const users = runtime.filter((i) => i.getKeyword() === 'USER').map((i) => i.getArgumentsContent() ?? '');
    expect(users.length).toBeGreaterThan(0);
    const user = users[users.length - 1]!.split(':')[0]!;
    expect(['', 'root', '0']).not.toContain(user);
    expect(runtime.filter((i) => i.getKeyword() === 'EXPOSE').map((i) => i.getArgumentsContent())).toContain('4000');
  });

  it('HEALTHCHECK asks /health with node itself; the ENTRYPOINT runs dist/main.js, the CMD gives it the mounted config file', () => {
    const checks = runtime.filter((i): i is Healthcheck => i instanceof Healthcheck);
    expect(checks).toHaveLength(1);
    const check = checks[0]!.getArgumentsContent() ?? '';
    expect(check).toMatch(/^CMD\s+node\b/);
    expect(check).toContain('/health');
    expect(check).not.toMatch(/\b(curl|wget)\b/);
    const cmds = runtime.filter((i): i is Cmd => i instanceof Cmd);
    expect(cmds).toHaveLength(1);
    const cmd = JSON.parse(cmds[0]!.getArgumentsContent() ?? '') as string[];
    // The program is the ENTRYPOINT (node with npm start's heap limit, dist/main.js), so that the
    // Kubernetes container's `args`, which replace the CMD only, stay arguments of the gateway.
    const entrypoints = runtime.filter((i) => i.getKeyword() === 'ENTRYPOINT');
    expect(entrypoints).toHaveLength(1);
    const entry = JSON.parse(entrypoints[0]!.getArgumentsContent() ?? '') as string[];
    expect(entry[0]).toBe('node');
    expect(entry).toContain('--max-old-space-size=256');
    expect(entry[entry.length - 1]).toBe('dist/main.js');
    expect(cmd).toEqual(['--config', '/etc/backupql/config.yaml']);
    // The Kubernetes container passes the same file.
    expect(cmd).toEqual(container(gateway).args);
  });

  it('the runtime image holds dist/, schema/ beside it, production node_modules and package.json, all from the build stage', () => {
    const runtimeCopies = copies(runtime);
    for (const c of runtimeCopies) expect(c.from, `COPY ${c.source}`).toBe('build');
    const workdir = workdirOf(runtime);
    const dests = runtimeCopies.map((c) => posix.relative(workdir, c.dest)).sort();
    expect(dests).toEqual(['dist', 'node_modules', 'package.json', 'schema', 'web/dist']);
    // dist/graphql/dashboard.js serves new URL('../../web/dist/', import.meta.url).
    expect(posix.resolve(runtimeCopies.find((c) => c.dest.endsWith('/dist') && !c.dest.includes('web'))!.dest, 'graphql', '../../web/dist')).toBe(
      runtimeCopies.find((c) => c.source.endsWith('web/dist'))!.dest,
    );
    // dist/graphql/schema.js reads new URL('../../schema/', import.meta.url).
    const dist = runtimeCopies.find((c) => c.dest.endsWith('/dist') && !c.dest.includes('web'))!.dest;
    expect(posix.resolve(dist, 'graphql', '../../schema')).toBe(runtimeCopies.find((c) => c.source.endsWith('schema'))!.dest);
  });

  it('every file copied from the build context exists and is not .dockerignored; the rest come from the build stage', () => {
    const ignore = dockerignorePatterns();
    const contextCopies = copies(instructions).filter((c) => c.from === undefined);
    expect(contextCopies.length).toBeGreaterThan(0);
    for (const { source } of contextCopies) {
      expect(existsSync(join(ROOT, source)), `COPY ${source}: not in the repository`).toBe(true);
      expect(dockerignored(ignore, source), `COPY ${source}: excluded by .dockerignore`).toBe(false);
    }
    // What the runtime takes from the build stage was copied there or made there (tsc's outDir, npm ci, the dashboard's vite build: web/dist).
    const outDir = (JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as { compilerOptions: { outDir: string } }).compilerOptions.outDir;
    const buildDir = workdirOf(build);
    const inBuild = new Set([
      ...copies(build).map((c) => c.dest),
      posix.resolve(buildDir, outDir),
      posix.join(buildDir, 'node_modules'),
      ...(/npm run build:web/.test(readFileSync(join(ROOT, 'Dockerfile'), 'utf8')) ? [posix.join(buildDir, 'web/dist')] : []),
    ]);
    for (const c of copies(runtime)) expect(inBuild.has(c.source), `COPY --from=build ${c.source}`).toBe(true);
  });
});

function dockerignorePatterns(): string[] {
  return readFileSync(join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** Docker's .dockerignore rules: globs (`*`, `?`, `**`) on slash paths, later lines win, `!` re-includes. */
function dockerignored(patterns: string[], path: string): boolean {
  const glob = (seg: string) =>
    seg
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '[^/]');
  let ignored = false;
  for (const raw of patterns) {
    const negate = raw.startsWith('!');
    const segs = posix
      .normalize((negate ? raw.slice(1) : raw).replace(/^\/+/, ''))
      .replace(/\/+$/, '')
      .split('/');
    const source = segs
      .map((seg, i) => (seg === '**' ? (i === segs.length - 1 ? '.*' : '(?:[^/]+/)*') : glob(seg) + (i < segs.length - 1 ? '/' : '')))
      .join('');
    if (new RegExp(`^${source}(?:/.*)?$`).test(posix.normalize(path).replace(/^\.\//, '').replace(/\/+$/, ''))) ignored = !negate;
  }
  return ignored;
}

describe('.dockerignore', () => {
  it('keeps node_modules (at any depth), dist and .git out of the build context, and the sources in', () => {
    const patterns = dockerignorePatterns();
    for (const path of ['node_modules', 'web/node_modules', 'dist', '.git']) expect(dockerignored(patterns, path), path).toBe(true);
    for (const path of ['src', 'schema', 'package.json', 'package-lock.json']) expect(dockerignored(patterns, path), path).toBe(false);
  });
});

describe('Prometheus alerts', () => {
  const rulesFile = join(ROOT, 'deploy/prometheus/alerts.yml');
  const testFile = join(ROOT, 'deploy/prometheus/alerts.test.yml');

  function promtool(...args: string[]): string {
    if (!existsSync(PROMTOOL)) throw new Error(`${PROMTOOL} is missing: install Debian's prometheus package (.ci/run does)`);
    try {
      return execFileSync(PROMTOOL, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; message: string };
      throw new Error(`promtool ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? e.message}`, { cause: err });
    }
  }

  it('promtool check rules accepts the rules', () => {
    expect(promtool('check', 'rules', rulesFile)).toContain('SUCCESS');
  });

  it('promtool test rules passes the recorded scrape', () => {
    expect(promtool('test', 'rules', testFile)).toContain('SUCCESS');
  });

  interface Rule {
    alert: string;
    expr: string;
    for?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  }
  const rules = () => (parseYaml(readFileSync(rulesFile, 'utf8')) as { groups: { name: string; rules: Rule[] }[] }).groups;

  it('group backupql holds the alerts, with their delays and severities, over the metrics the gateway exports', () => {
    const groups = rules();
    expect(groups.map((g) => g.name)).toEqual(['backupql']);
    const byName = new Map(groups[0]!.rules.map((r) => [r.alert, r]));
    const expected: [string, string, string | undefined][] = [
      ['BackupqlNoSuccessWithinRpo', '15m', 'page'],
      ['BackupqlNeverBackedUp', '1h', 'warning'],
      ['BackupqlBackupFailing', '10m', 'page'],
      ['BackupqlSourceDown', '5m', 'page'],
      ['BackupqlCircuitOpen', '5m', 'warning'],
      ['BackupqlGatewayDown', '5m', undefined],
      ['BackupqlArchiveLagging', '15m', 'page'],
      ['BackupqlSnapshotStale', '10m', 'warning'],
    ];
    for (const [name, delay, severity] of expected) {
      const rule = byName.get(name);
      expect(rule, name).toBeDefined();
      expect(rule!.for, name).toBe(delay);
      if (severity) expect(rule!.labels?.severity, name).toBe(severity);
    }
    const exported = new Set([
      'backupql_backup_last_success_timestamp_seconds',
      'backupql_backup_rpo_seconds',
      'backupql_backup_coverage_state',
      'backupql_backup_last_size_bytes',
      'backupql_backup_archive_lag_seconds',
      'backupql_source_up',
      'backupql_circuit_state',
      'backupql_graphql_operations_total',
      'backupql_upstream_requests_total',
      'backupql_snapshot_oldest_read_timestamp_seconds',
    ]);
    for (const rule of byName.values()) {
      expect(['page', 'warning'], rule.alert).toContain(rule.labels?.severity);
      // absent() has no labels to name; every other alert says which source or target it is about.
      if (!rule.expr.trim().startsWith('absent(')) expect(rule.annotations?.summary, rule.alert).toMatch(/\{\{ \$labels\.\w+ \}\}/);
      expect(rule.annotations?.description, rule.alert).toBeTruthy();
      // A misspelt metric gives an alert that can never fire: every backupql_ name must be exported.
      for (const metric of rule.expr.match(/\bbackupql_\w+/g) ?? []) expect(exported.has(metric), `${rule.alert}: ${metric}`).toBe(true);
    }
  });

  it('the unit tests see every alert fire at least once', () => {
    const tests = (parseYaml(readFileSync(testFile, 'utf8')) as { tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[] }).tests;
    const fired = new Set(tests.flatMap((t) => (t.alert_rule_test ?? []).filter((a) => a.exp_alerts.length > 0).map((a) => a.alertname)));
    expect([...fired].sort()).toEqual(
      rules()
        .flatMap((g) => g.rules.map((r) => r.alert))
        .sort(),
    );
  });
});
