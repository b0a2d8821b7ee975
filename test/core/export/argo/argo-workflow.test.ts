/**
 * `flowline export argo`: the Workflow is one Argo Workflows accepts (its own JSON Schema), its DAG
 * is the pipeline's edges, and its tasks — each `flowline run FILE --to NODE` on the shared project
 * folder — leave exactly the cache a local run would: a local run afterwards finds every node cached
 * and gets the numbers of a run on a clean copy.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../../core/host/cli.ts';
import { WORKER_TASKS } from '../../../../core/host/worker-tasks.ts';
import { NODES } from '../../../../nodes/index.ts';
import { captureIo } from '../../../support/capture-io.ts';

const TEMPLATES = new URL('../../../../templates/', import.meta.url).pathname;
const SCHEMA = JSON.parse(readFileSync(new URL('../../../fixtures/argo/workflow.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const parts = { nodes: NODES, tasks: WORKER_TASKS };

interface Task {
  name: string;
  template: string;
  dependencies?: string[];
  arguments: { parameters: { name: string; value: string }[] };
}
interface Workflow {
  metadata: Record<string, unknown>;
  spec: {
    entrypoint: string;
    templates: { name: string; dag?: { tasks: Task[] }; container?: { command: string[]; args: string[]; workingDir: string } }[];
  };
}

/** The published schema, and a stricter copy where an unknown field is an error (as `argo lint` is strict by default). */
function validators() {
  const strict = structuredClone(SCHEMA) as { definitions: Record<string, Record<string, unknown>> };
  for (const def of Object.values(strict.definitions)) if (def.type === 'object' && def.properties && !('additionalProperties' in def)) def.additionalProperties = false;
  const make = (schema: object) => new Ajv2020({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
  return { published: make(SCHEMA), strict: make(strict) };
}
const { published, strict } = validators();
const errorsOf = (v: typeof published, doc: unknown): ErrorObject[] => (v(doc) ? [] : (v.errors ?? []));

let work: string;
let prevState: string | undefined;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'flowline-argo-'));
  prevState = process.env.FLOWLINE_STATE_DIR;
  process.env.FLOWLINE_STATE_DIR = join(work, 'state');
});
afterAll(() => {
  if (prevState === undefined) delete process.env.FLOWLINE_STATE_DIR;
  else process.env.FLOWLINE_STATE_DIR = prevState;
  rmSync(work, { recursive: true, force: true });
});

/** A copy of the templates folder at `<root>/project`, as it would sit on the cluster's volume. */
function project(root: string): string {
  cpSync(TEMPLATES, join(root, 'project'), { recursive: true, filter: (p) => !p.includes('.flowline') });
  return join(root, 'project');
}

async function exportArgo(args: string[]) {
  const { io, out } = captureIo();
  const code = await main(['export', 'argo', ...args], parts, io);
  return { code, out };
}

const dagOf = (wf: Workflow) => wf.spec.templates.find((t) => t.name === wf.spec.entrypoint)!.dag!.tasks;

describe('flowline export argo', () => {
  it("writes a Workflow that validates against Argo Workflows' own JSON Schema, published and strict", async () => {
    const dir = project(join(work, 'schema'));
    const out = join(work, 'schema', 'penguins.workflow.json');
    const { code, out: printed } = await exportArgo([join(dir, 'penguins-species.flow.json'), '--image', 'registry.example/flowline-worker:0.1.0', '--out', out]);
    expect(code, printed.stderr).toBe(0);
    const wf = JSON.parse(readFileSync(out, 'utf8')) as Workflow;
    expect(errorsOf(published, wf)).toEqual([]);
    expect(errorsOf(strict, wf)).toEqual([]);

    // The validation bites: what Argo would reject is rejected here too.
    expect(errorsOf(published, { ...wf, spec: { ...wf.spec, entrypoint: 5 } }).map((e) => e.instancePath)).toContain('/spec/entrypoint');
    const noImage = structuredClone(wf) as unknown as { spec: { templates: { container?: Record<string, unknown> }[] } };
    delete noImage.spec.templates[1].container!.image;
    expect(errorsOf(published, noImage).some((e) => e.params && (e.params as { missingProperty?: string }).missingProperty === 'image')).toBe(true);
    const typo = structuredClone(wf) as unknown as { spec: { templates: { dag?: { tasks: Record<string, unknown>[] } }[] } };
    typo.spec.templates[0].dag!.tasks[1].dependancies = ['load'];
    expect(errorsOf(strict, typo).map((e) => (e.params as { additionalProperty?: string }).additionalProperty)).toContain('dependancies');
  });

  it("has one task per node, and each task's dependencies are exactly the nodes its input edges come from", async () => {
    const dir = project(join(work, 'dag'));
    const file = join(dir, 'penguins-species.flow.json');
    const out = join(work, 'dag', 'wf.json');
    expect((await exportArgo([file, '--image', 'flowline-worker:test', '--out', out])).code).toBe(0);
    const wf = JSON.parse(readFileSync(out, 'utf8')) as Workflow;
    const pipeline = JSON.parse(readFileSync(file, 'utf8')) as { nodes: { id: string }[]; edges: { from: string; to: string }[] };
    const tasks = dagOf(wf);
    const nodeOf = new Map(tasks.map((t) => [t.name, t.arguments.parameters.find((p) => p.name === 'node')!.value]));
    expect([...nodeOf.values()].sort()).toEqual(pipeline.nodes.map((n) => n.id).sort());
    for (const t of tasks) {
      const upstream = new Set(pipeline.edges.filter((e) => e.to.split('.')[0] === nodeOf.get(t.name)).map((e) => e.from.split('.')[0]));
      expect(new Set((t.dependencies ?? []).map((d) => nodeOf.get(d)!)), t.name).toEqual(upstream);
    }
    // Names Argo accepts (impute_sex → impute-sex), the node id passed through untouched; heavy nodes ask for more.
    expect(tasks.every((t) => /^[a-z0-9][-a-z0-9]*$/.test(t.name))).toBe(true);
    expect(tasks.find((t) => nodeOf.get(t.name) === 'impute_sex')!.name).toBe('impute-sex');
    expect(tasks.find((t) => nodeOf.get(t.name) === 'train')!.template).toBe('flowline-node-heavy');
    expect(tasks.find((t) => nodeOf.get(t.name) === 'load')!.template).toBe('flowline-node-light');
  });

  it("refuses to export an untrusted pipeline that would run SQL unattended, and writes nothing; --trust exports it", async () => {
    const dir = project(join(work, 'trust'));
    const out = join(work, 'trust', 'wf.json');
    const refused = await exportArgo([join(dir, 'seattle-rain.flow.json'), '--image', 'w:1', '--out', out]);
    expect(refused.code).toBe(2);
    expect(refused.out.stderr).toMatch(/NOT_TRUSTED[\s\S]*unattended[\s\S]*SQL/i);
    expect(existsSync(out)).toBe(false);
    expect((await exportArgo([join(dir, 'seattle-rain.flow.json'), '--image', 'w:1', '--out', out, '--trust'])).code).toBe(0);
  });

  it("runs its tasks in DAG order as the containers would, leaving the cache a local run finds all of, with the same numbers", async () => {
    const root = join(work, 'volume');
    const dir = project(root);
    const file = join(dir, 'seattle-rain.flow.json');
    const out = join(work, 'seattle.workflow.json');
    // The volume is mounted at `root` here, so the paths in the task script are real ones.
    expect((await exportArgo([file, '--image', 'w:1', '--out', out, '--mount', root, '--trust'])).code).toBe(0);
    const wf = JSON.parse(readFileSync(out, 'utf8')) as Workflow;

    // Each task's container command, run by sh with a recording `flowline` first on PATH.
    const bin = join(work, 'bin');
    const log = join(work, 'flowline-calls.jsonl');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'flowline'), `#!/bin/sh\nnode -e 'require("fs").appendFileSync(process.argv[1], JSON.stringify(process.argv.slice(2)) + "\\n")' ${log} "$@"\n`);
    chmodSync(join(bin, 'flowline'), 0o755);
    const runTask = (t: Task) => {
      const tpl = wf.spec.templates.find((x) => x.name === t.template)!.container!;
      const node = t.arguments.parameters[0].value;
      const args = tpl.args.map((a) => a.replace('{{inputs.parameters.node}}', node));
      return spawnSync(tpl.command[0], [...tpl.command.slice(1), ...args], { cwd: tpl.workingDir, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, encoding: 'utf8' });
    };

    const tasks = dagOf(wf);
    const done = new Set<string>();
    for (const t of tasks) {
      expect((t.dependencies ?? []).every((d) => done.has(d)), `${t.name} listed after its dependencies`).toBe(true);
      const r = runTask(t);
      expect(r.status, r.stderr).toBe(0);
      const argv = JSON.parse(readFileSync(log, 'utf8').trim().split('\n').at(-1)!) as string[];
      expect(argv).toEqual(['run', file, '--to', t.arguments.parameters[0].value, '--yes', '--json']);
      // What the container's flowline would do, in this process.
      const { io, out: printed } = captureIo();
      expect(await main(argv, parts, io), printed.stderr).toBe(0);
      const report = JSON.parse(printed.stdout) as { nodes: { id: string; status: string }[] };
      const node = t.arguments.parameters[0].value;
      // The task computes its own node only: everything upstream was left in the cache by earlier tasks.
      expect(report.nodes.filter((n) => n.id !== node).every((n) => n.status === 'cached'), JSON.stringify(report.nodes)).toBe(true);
      done.add(t.name);
    }

    const local = captureIo();
    expect(await main(['run', file, '--json', '--trust'], parts, local.io), local.out.stderr).toBe(0);
    const after = JSON.parse(local.out.stdout) as { nodes: { id: string; status: string }[]; metrics: Record<string, Record<string, number>> };
    expect(after.nodes.map((n) => n.status)).toEqual(after.nodes.map(() => 'cached'));

    const clean = captureIo();
    const cleanFile = join(project(join(work, 'clean')), 'seattle-rain.flow.json');
    expect(await main(['run', cleanFile, '--json', '--trust'], parts, clean.io), clean.out.stderr).toBe(0);
    const fresh = JSON.parse(clean.out.stdout) as { nodes: { status: string }[]; metrics: Record<string, Record<string, number>> };
    expect(fresh.nodes.some((n) => n.status === 'done')).toBe(true);
    expect(after.metrics).toEqual(fresh.metrics);

    // A pipeline file changed on the volume after the export is not run by any task.
    appendFileSync(file, '\n');
    const before = readFileSync(log, 'utf8');
    const changed = runTask(tasks[0]);
    expect(changed.status).not.toBe(0);
    expect(changed.stderr).toMatch(/FAILED|did NOT match/i);
    expect(readFileSync(log, 'utf8')).toBe(before);
  }, 240_000);
});

// sha256sum is what the task image (Debian slim) checks the file with; it is in coreutils everywhere we run.
execFileSync('sha256sum', ['--version']);

describe('Dockerfile.worker', () => {
  it('builds on the serving bundle\'s pinned base image and runs as a non-root user', async () => {
    const { BASE_IMAGE } = await import('../../../../core/export/serving/docker.ts');
    const text = readFileSync(new URL('../../../../Dockerfile.worker', import.meta.url), 'utf8');
    expect(text).toMatch(new RegExp(`^FROM ${BASE_IMAGE.replace(/[.]/g, '\\.')}$`, 'm'));
    expect(text).toMatch(/^USER node$/m);
  });
});
