/**
 * The FlowlineApi, implemented once for both hosts (Electron main over IPC, the web host over
 * WebSocket). It holds no transport code: callers parse arguments (service/methods.ts) and
 * forward events. The node list comes in as a parameter; core/ never imports nodes/.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { upgradeNodes, type Plan } from '../compile/index.ts';
import type { ExecuteOptions, TaskRegistry, WorkerPool } from '../exec/index.ts';
import { migrateDocument } from '../schema/migrate.ts';
import { Pipeline } from '../schema/pipeline.ts';
import { pipelineFromJson } from '../schema/serialize.ts';
import type { AnyNodeSpec } from '../spec/define-node.ts';
import { FlowlineError, toErrorInfo } from '../spec/errors.ts';
import type { TableRef } from '../spec/values.ts';
import {
  API_VERSION,
  type CatalogNode,
  type Diagnostic,
  type FlowlineApi,
  type PreviewRequest,
  type RunEvent,
  type RunSummary,
  type DatabaseConnection,
} from './api.ts';
import { cacheDirFor, prepareRun, UNSAVED_KEY } from './run-session.ts';
import { compareRuns } from './runs/run-compare.ts';
import { runsDirFor, RunStore } from './runs/run-store.ts';
import { readPipelineFile, removeInterruptedSaves, writePipelineFile } from './pipeline-file.ts';
import { copyTemplate, listTemplates } from './templates.ts';
import { catalogOf } from './service/catalog.ts';
import { RunManager } from './service/runs.ts';
import { StateStore } from './service/state.ts';
import { listFolder, UserPlaces } from './service/places.ts';
import { previewTable, type TableReader } from './service/preview.ts';
import { exportOnnxFromStudio } from './service/export-onnx.ts';
import { TrustGate } from './service/trust.ts';
import { validateWithColumns } from './service/known-schemas.ts';
import { registryMethods } from './service/models.ts';
import { writeStudioReport } from './service/report.ts';
import { registryBesideRuns } from './registry/register-export.ts';
import { renderReportTask } from '../report/render-task.ts';
import type { WorkerTask } from '../spec/worker-task.ts';
import { keepCodeWorkerWarm } from '../ml/code-node/run-code.ts';
import { useSpillRoot } from '../data/spill-root.ts';

/** The engines the service drives; the defaults load core/exec and core/data on first use. */
export interface ServiceEngine extends TableReader {
  execute(plan: Plan, options: ExecuteOptions): Promise<RunSummary>;
  /** One pool for every run of this service (workers are slow to start). */
  createPool?(tasks: TaskRegistry): WorkerPool;
}

export interface ServiceOptions {
  nodes: readonly AnyNodeSpec[];
  /** The worker tasks nodes may run (core/host/worker-tasks.ts for the app). */
  tasks: TaskRegistry;
  /** Recent files, trust store, autosave, and the cache of unsaved pipelines (run-session.ts). */
  stateDir: string;
  cacheDir?: string;
  host: 'web' | 'electron';
  templatesDir: string;
  /** Folder file pickers start in and unsaved pipelines resolve data against (default: process.cwd()). */
  cwd?: string;
  engine?: Partial<ServiceEngine>;
}

export type FlowlineService = FlowlineApi & {
  dispose(): Promise<void>;
  /** Settles when temp files of saves interrupted in an earlier session are gone (their paths). */
  readonly cleanedUp: Promise<string[]>;
};


const PACKAGE_VERSION: Promise<string> = readFile(new URL('../../package.json', import.meta.url), 'utf8')
  .then((t) => String((JSON.parse(t) as { version?: string }).version ?? '0.0.0'))
  .catch(() => '0.0.0');

/** A browser has no OS file dialog the host could show; the studio uses its own file browser. */
const noNativeDialogs = () =>
  new FlowlineError({ code: 'INVALID_PARAM', message: 'This host has no native file dialogs: the studio in a browser picks files in its own file browser.', hint: 'Use Open… or Save as…, which show the in-app file browser here.' });

export function createService(options: ServiceOptions): FlowlineService {
  // The studio reruns a Code node after each edit: keep a worker with danfo loaded ready for it.
  keepCodeWorkerWarm(true);
  // One process serves every pipeline opened: DuckDB spills in the state folder's cache, not beside one of them.
  useSpillRoot(join(resolve(options.stateDir), 'cache', 'spill'));
  const nodes = [...options.nodes];
  const cwd = resolve(options.cwd ?? process.cwd());
  const templatesDir = resolve(options.templatesDir);
  const state = new StateStore(resolve(options.stateDir));
  const places = new UserPlaces({ cwd, templatesDir }, () => trust.trustedFolders());
  const listeners = new Set<(event: RunEvent) => void>();
  const runs = new RunManager((event) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch {
        // One broken subscriber must not stop the others or the run.
      }
    }
  });
  const trust = new TrustGate(state, nodes, { cwd, templatesDir });
  const engine = lazyEngine(options.engine);
  let pool: WorkerPool | null = null;
  let catalog: CatalogNode[] | null = null;
  /** Database logins saved in this session (Electron's main also keeps them in the OS keychain and hands them over at start). */
  const connections = new Map<string, DatabaseConnection>();

  /** The run log prepareRun records into for this path (run-session.ts: beside the cache folder). */
  const runLogOf = (path?: string) => {
    const abs = path ? resolve(cwd, path) : undefined;
    if (abs) places.check(abs, 'Cannot open');
    return new RunStore(runsDirFor(resolve(options.cacheDir ?? cacheDirFor(abs, options.stateDir))));
  };
  const keyOf = (path?: string) => (path ? resolve(cwd, path) : UNSAVED_KEY);
  /** The heavy part of a request (exports, report charts) on the worker pool, in-process before the first run made one. */
  const runTask = <P, R>(task: WorkerTask<P, R>, payload: P): Promise<R> =>
    pool ? pool.run(task, payload, { signal: new AbortController().signal }) : Promise.resolve(task.run(payload, { progress: () => {}, log: () => {} }));

  // Saves interrupted by a crash left hidden temp files: in the state folder, and beside the files
  // the user works on (the recent ones).
  const cleanedUp = (async () => {
    const dirs = new Set([state.dir, join(state.dir, 'autosave'), ...(await state.recentFiles()).map((r) => dirname(r.path))]);
    const removed: string[] = [];
    for (const dir of dirs) for (const name of await removeInterruptedSaves(dir)) removed.push(join(dir, name));
    return removed;
  })().catch(() => [] as string[]);

  const service: FlowlineService = {
    cleanedUp,

    async hello() {
      // Electron's main process answers the native dialog calls itself (it owns the window).
      return { apiVersion: API_VERSION, host: options.host, version: await PACKAGE_VERSION, cwd, dialogs: options.host === 'electron' ? 'native' : 'in-app' };
    },

    async catalog() {
      // The node list is fixed for the life of the service; JSON Schema generation is not free.
      return (catalog ??= catalogOf(nodes));
    },

    async openPipeline(path) {
      const abs = resolve(cwd, path);
      places.check(abs, 'Cannot open');
      const file = await readPipelineFile(abs);
      const { needsTrust, sideEffects } = await trust.opened(abs, file.pipeline, file.text);
      if (!trust.isTemplate(abs)) await state.addRecent(abs, file.pipeline.name);
      return { path: abs, pipeline: upgradeNodes(file.pipeline, nodes), text: file.text, needsTrust, ...(needsTrust ? { sideEffects } : {}) };
    },

    async savePipeline(path, pipeline) {
      const abs = resolve(cwd, path);
      places.check(abs, 'Cannot save to');
      if (!/\.json$/i.test(abs)) {
        // Never over a file that is not a pipeline (~/.bashrc, a data file).
        throw new FlowlineError({ code: 'INVALID_PARAM', message: `Cannot save to ${abs}: a pipeline is saved as a .flow.json file.`, hint: 'Choose a name ending in .flow.json.', file: abs });
      }
      const file = await writePipelineFile(abs, pipeline);
      // Made or edited in this app: trusted, unless it does something from a file not trusted yet.
      await trust.saved(abs, file.pipeline, file.text);
      await state.addRecent(abs, file.pipeline.name);
      return { path: abs, text: file.text };
    },

    async validatePipeline(raw, path) {
      let upgraded: unknown = raw;
      try {
        upgraded = migrateDocument(raw);
      } catch (e) {
        return { diagnostics: [{ severity: 'error', ...toErrorInfo(e) }], schemas: {} };
      }
      const parsed = Pipeline.safeParse(upgraded);
      if (!parsed.success) {
        const diagnostics: Diagnostic[] = parsed.error.issues.map((i) => ({
          severity: 'error',
          code: 'PIPELINE_INVALID',
          message: `${i.path.join('.') || '(pipeline)'}: ${i.message}`,
          path: i.path as (string | number)[],
        }));
        return { diagnostics, schemas: {} };
      }
      return validateWithColumns(parsed.data, nodes, { path: path && resolve(cwd, path), cwd, trust, lastRun: runs.lastRun(keyOf(path)), savedConnection: (name) => connections.get(name) });
    },

    async trustPipeline(path) {
      const abs = resolve(cwd, path);
      places.check(abs, 'Cannot open');
      const file = await readPipelineFile(abs);
      await trust.trustFile(abs, file.pipeline, file.text);
    },

    async trustRun(request) {
      if (request.path) places.check(resolve(cwd, request.path), 'Cannot open');
      await trust.trustRun(request, pipelineFromJson(request.pipeline));
    },

    async trustFolder(dir) {
      const abs = resolve(cwd, dir);
      places.check(abs, 'Cannot trust');
      await trust.trustFolder(abs);
    },

    async run(request) {
      const pipeline = pipelineFromJson(request.pipeline);
      await trust.check(request, pipeline);
      // The CLI runs pipelines through the same prepareRun: same plan, same cache folder.
      const prepared = prepareRun(
        { pipeline, path: request.path, set: request.set, to: request.to },
        { nodes, stateDir: options.stateDir, cwd, cacheDir: options.cacheDir, host: 'studio', execute: (plan, opts) => engine.exec().then((e) => e.execute(plan, opts)) },
      );
      const { plan, diagnostics } = prepared;
      if (!plan) {
        const errors = diagnostics.filter((d) => d.severity === 'error');
        throw new FlowlineError({
          code: errors[0]?.code ?? 'PIPELINE_INVALID',
          nodeId: errors.length === 1 ? errors[0].nodeId : undefined,
          message: `The pipeline cannot run yet:\n  ${errors.map((d) => d.message).join('\n  ')}`,
          hint: 'Fix the problems marked on the nodes, then run again.',
        });
      }
      const { createPool } = await engine.exec();
      if (createPool && !pool) pool = createPool(options.tasks);
      const workers = pool ? { pool } : { tasks: options.tasks };
      return runs.start(keyOf(request.path), { plan: plan.nodes.map((n) => n.id), pipeline: pipeline.nodes.map((n) => n.id) }, ({ runId, signal, onEvent }) =>
        prepared.start({ workers, signal, onEvent, runId, savedConnection: (name) => connections.get(name) }),
      );
    },

    async cancel(runId) {
      runs.cancel(runId);
    },

    async lastRun(path) {
      return runs.lastRun(keyOf(path));
    },

    async preview(request: PreviewRequest) {
      return previewTable(runs, engine.data, request);
    },

    async listTemplates() {
      return listTemplates(templatesDir);
    },

    async copyTemplate(id, dir) {
      const abs = resolve(cwd, dir);
      places.check(abs, 'Cannot copy a template to');
      const copy = await copyTemplate(templatesDir, id, abs);
      // Shipped with the app: trusted like a pipeline made in it.
      await trust.saved(copy.path, copy.pipeline, copy.text);
      await state.addRecent(copy.path, copy.pipeline.name);
      return { path: copy.path, files: copy.files };
    },

    async recentFiles() {
      // Files moved or deleted since are left out (the list on disk keeps them, in case a drive comes back).
      return (await state.recentFiles()).filter((r) => existsSync(r.path));
    },

    async autosave(key, pipeline, where) {
      // Paths as the rest of the service sees them, so recovery gets back the same file.
      await state.autosave(key, pipeline, { path: where?.path && resolve(cwd, where.path), origin: where?.origin && resolve(cwd, where.origin) });
    },

    async recoverAutosave(key) {
      return (await service.recoverWork(key))?.pipeline ?? null;
    },

    async recoverWork(key) {
      const saved = await state.recoverWork(key);
      if (!saved) return null;
      try {
        // Through the file reader's migrations: work autosaved by an older version comes back too.
        return { ...saved, pipeline: pipelineFromJson(saved.pipeline) };
      } catch {
        return null;
      }
    },

    async chooseOpenPath() {
      throw noNativeDialogs();
    },

    async chooseSavePath() {
      throw noNativeDialogs();
    },

    async listConnections() {
      return [...connections.values()].map(({ password: _, ...info }) => ({ ...info, storedIn: 'session' as const }));
    },

    async saveConnection(connection) {
      connections.set(connection.name, { ...connection });
      const { password: _, ...info } = connection;
      return { ...info, storedIn: 'session' };
    },

    async forgetConnection(name) {
      connections.delete(name);
    },

    async listDirectory(dir) {
      const abs = resolve(cwd, dir);
      places.check(abs, 'Cannot list');
      return listFolder(abs);
    },

    async exportDocker(request) {
      const abs = resolve(cwd, request.path);
      const file = await readPipelineFile(abs);
      await trust.check({ pipeline: file.pipeline, path: abs }, file.pipeline);
      const { createPool } = await engine.exec();
      if (createPool && !pool) pool = createPool(options.tasks);
      const workers = pool;
      // loaded on first export: onnxruntime-node is not needed before
      const [{ dockerBundleFromPipeline }, { exportDockerTask }] = await Promise.all([import('./docker-export.ts'), import('../export/serving/export-docker.ts')]);
      const signal = new AbortController().signal;
      const r = await dockerBundleFromPipeline(
        { ...request, path: abs, out: resolve(dirname(abs), request.out), zip: true },
        { nodes, tasks: options.tasks },
        workers ? (o) => workers.run(exportDockerTask, o, { signal }) : undefined,
        { stateDir: options.stateDir, cacheDir: options.cacheDir, ...(workers ? { pool: workers } : {}) },
      );
      return {
        dir: r.dir,
        zip: r.zip ?? null,
        models: r.manifest.models.map((m, i) => {
          // r.verification: the models this call exported, in order (only the new challenger when adding one)
          const verification = request.addToExisting ? (m.role === 'challenger' ? r.verification[0] : undefined) : r.verification[i];
          const heldOut = r.sources.find((s) => s.model.trainedOn.nodeId === m.lineage.trainNode)?.heldOut.source ?? '';
          return { name: m.name, version: m.version, role: m.role, task: m.task, heldOut, ...(verification ? { verification } : {}) };
        }),
        routing: r.manifest.routing.mode,
        files: r.files,
      };
    },

    async listRuns(path) {
      return runLogOf(path).list();
    },

    async compareRuns(path, a, b) {
      const log = runLogOf(path);
      return compareRuns(await log.get(a), await log.get(b));
    },

    async exportOnnx(request) {
      const pipeline = Pipeline.parse(request.pipeline);
      return exportOnnxFromStudio(request, pipeline, {
        nodes,
        cwd,
        isTemplate: (abs) => trust.isTemplate(abs),
        checkWritable: (abs) => places.check(abs, 'Cannot export to'),
        run: (r) => service.run(r),
        finished: (runId) => runs.finished(runId),
        // the heavy part (build, onnxruntime, the app's predictions) on the worker pool
        runTask,
        register: async (runId, file) => (await import('./registry/register-export.ts')).registerAfterRun(runLogOf(request.path).dir, runId, 'onnx', file),
        runRecord: (runId) => runLogOf(request.path).get(runId).catch(() => null),
      });
    },

    // The Models view: the registry beside the pipeline's run log (`flowline models --in PIPELINE`'s folder).
    ...registryMethods((path) => registryBesideRuns(runLogOf(path).dir), (abs) => places.check(abs, 'Cannot open')),

    async writeReport(request) {
      return writeStudioReport(request, Pipeline.parse(request.pipeline), {
        nodes,
        cwd,
        lastRun: runs.lastRun(keyOf(request.path)),
        runsDir: runLogOf(request.path).dir,
        checkWritable: (abs) => places.check(abs, 'Cannot save the report to'),
        render: (input) => runTask(renderReportTask, input),
      });
    },

    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async dispose() {
      keepCodeWorkerWarm(false);
      await runs.dispose();
      await pool?.close();
      pool = null;
      listeners.clear();
    },
  };
  return service;
}

/** Load core/exec and core/data only when first needed (they pull in DuckDB and workers). */
function lazyEngine(overrides: Partial<ServiceEngine> = {}) {
  let exec: Promise<Pick<ServiceEngine, 'execute' | 'createPool'>> | null = null;
  let data: Promise<Pick<ServiceEngine, 'pageOf' | 'profileOf'>> | null = null;
  const loadExec = async () => {
    if (overrides.execute) return { execute: overrides.execute, createPool: overrides.createPool };
    const m = await import('../exec/index.ts');
    return { execute: m.execute, createPool: overrides.createPool ?? ((tasks: TaskRegistry) => new m.WorkerPool(tasks)) };
  };
  const loadData = async () => {
    if (overrides.pageOf && overrides.profileOf) return { pageOf: overrides.pageOf, profileOf: overrides.profileOf };
    const m = await import('../data/profile.ts');
    return { pageOf: overrides.pageOf ?? m.pageOf, profileOf: overrides.profileOf ?? ((t: TableRef) => m.profileOf(t)) };
  };
  return {
    exec: () => (exec ??= loadExec().catch((e) => ((exec = null), Promise.reject(e)))),
    data: () => (data ??= loadData().catch((e) => ((data = null), Promise.reject(e)))),
  };
}
