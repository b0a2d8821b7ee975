/**
 * One way to run a pipeline, for every host: compile it with the --set / "run to here" options,
 * decide where its cache and history live, and execute the plan. `flowline run` and the studio's
 * Run both come through prepareRun, so a pipeline run in one and then in the other finds every
 * node's result in the same cache and reports it `cached`.
 *
 * The cache rule: `.flowline/cache` in the pipeline file's folder (it travels with the project and
 * goes with it); for a pipeline not saved yet, or a folder Flowline cannot write (a template inside
 * the installed app), the cache in the state folder. `flowline run --cache DIR` overrides it.
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { compile, type Diagnostic, type Plan } from '../compile/index.ts';
import { execute as executePlan, type ExecuteOptions, type TaskPool, type TaskRegistry } from '../exec/index.ts';
import type { Pipeline } from '../schema/pipeline.ts';
import type { AnyNodeSpec } from '../spec/define-node.ts';
import type { RunEvent, RunSummary } from '../spec/run-events.ts';
import { useSpillRoot } from '../data/spill-root.ts';
import { ModelRegistry } from './registry/model-registry.ts';
import type { RunRecord } from './runs/run-record.ts';
import type { SavedConnection } from '../spec/context.ts';
import { RunRecorder } from './runs/run-recorder.ts';
import { runsDirFor } from './runs/run-store.ts';
import { newRunId } from './service/runs.ts';

export interface RunRequestOf {
  pipeline: Pipeline;
  /** The pipeline file (absolute, or relative to `cwd`); absent for unsaved work. */
  path?: string;
  /** node.param=value overrides, as on the CLI. */
  set?: string[];
  /** Run only this node and its ancestors. */
  to?: string;
}

export interface RunEnvironment {
  nodes: readonly AnyNodeSpec[];
  /** Where recent files, trust and the fallback cache live (defaultStateDir()). */
  stateDir: string;
  /** What relative paths of an unsaved pipeline resolve against. */
  cwd: string;
  /** Overrides the cache rule (flowline run --cache DIR). */
  cacheDir?: string;
  /** Who records the run in the run log: 'cli', 'studio'... (docs/lifecycle.md). */
  host?: string;
  /** Where runs are recorded; default `.flowline/runs` beside the cache folder. */
  runsDir?: string;
  /** The executor (tests of the hosts pass a stand-in). */
  execute?: (plan: Plan, options: ExecuteOptions) => Promise<RunSummary>;
}

export interface PreparedRun {
  plan: Plan;
  diagnostics: Diagnostic[];
  /** Absolute pipeline file, or undefined when unsaved. */
  path?: string;
  pipelineDir: string;
  cacheDir: string;
  /** Identifies the pipeline across runs ("why did this node re-run?"). */
  pipelineKey: string;
  /** The run log this run is recorded in. */
  runsDir: string;
  /** The model registry its exports are registered in (beside the run log). */
  modelsDir: string;
  /** Execute the plan; `workers` is the host's shared pool, or the tasks of a private one. */
  start(options: {
    workers: { pool: TaskPool } | { tasks: TaskRegistry };
    signal?: AbortSignal;
    onEvent?: (event: RunEvent) => void;
    runId?: string;
    useCache?: boolean;
    savedConnection?: (name: string) => SavedConnection | undefined;
  }): Promise<RunSummary>;
}

/** Key for the history of a pipeline that has not been saved. */
export const UNSAVED_KEY = '<unsaved>';

/** Compile a run request; `plan` is absent when the pipeline cannot run (see `diagnostics`). */
export function prepareRun(request: RunRequestOf, env: RunEnvironment): Omit<PreparedRun, 'plan'> & { plan: Plan | null } {
  const { plan, diagnostics } = compile(request.pipeline, env.nodes, { set: request.set, to: request.to });
  const path = request.path ? resolve(env.cwd, request.path) : undefined;
  const pipelineDir = path ? dirname(path) : resolve(env.cwd);
  const cacheDir = resolve(env.cacheDir ?? cacheDirFor(path, env.stateDir));
  const pipelineKey = path ?? UNSAVED_KEY;
  const runsDir = resolve(env.runsDir ?? runsDirFor(cacheDir));
  const modelsDir = join(dirname(runsDir), 'models');
  const run = env.execute ?? executePlan;
  return {
    plan,
    diagnostics,
    path,
    pipelineDir,
    cacheDir,
    pipelineKey,
    runsDir,
    modelsDir,
    start: async ({ workers, ...options }) => {
      if (!plan) throw new Error('prepareRun: the pipeline did not compile; check plan before start()');
      // DuckDB spills beside the cache (the studio has chosen its own place first: createService).
      useSpillRoot(join(cacheDir, 'spill'));
      const runId = options.runId ?? newRunId();
      // Every run is recorded (core/host/runs): the record exists, marked running, before a node starts.
      const recorder = await RunRecorder.begin({ runId, host: env.host ?? 'cli', pipeline: request.pipeline, path, set: request.set, to: request.to, plan, pipelineDir, cacheDir, runsDir }).catch(() => null);
      const onEvent = (event: RunEvent) => {
        recorder?.event(event);
        options.onEvent?.(event);
      };
      try {
        const lineage = { ...recorder?.lineage, ...(request.pipeline.gates ? { gates: request.pipeline.gates } : {}) };
        const summary = await run(plan, { cacheDir, pipelineDir, pipelineKey, ...options, runId, run: lineage, onEvent, ...workers });
        await recorder?.finish(summary);
        if (recorder) await registerExports(recorder.current, modelsDir);
        return summary;
      } catch (e) {
        await recorder?.fail(e);
        throw e;
      }
    },
  };
}

/**
 * Every model the run exported (Export ONNX / Export Docker nodes) becomes a registry version with
 * the run's lineage. Like recording, registering never fails a run: a registry that cannot be
 * written loses the version, not the export.
 */
async function registerExports(record: RunRecord, modelsDir: string): Promise<void> {
  if (!record.artifacts.some((a) => a.kind === 'onnx' || a.kind === 'docker-bundle')) return;
  const { registerRunExports } = await import('./registry/register-export.ts');
  await registerRunExports(new ModelRegistry(modelsDir), record).catch(() => {});
}

/** The cache folder of a pipeline file (see the rule at the top of this file). */
export function cacheDirFor(pipelinePath: string | undefined, stateDir: string): string {
  const fallback = join(resolve(stateDir), 'cache');
  if (!pipelinePath) return fallback;
  const beside = join(dirname(resolve(pipelinePath)), '.flowline', 'cache');
  return writableFolder(beside) ? beside : fallback;
}

/** Can we create (or already write to) this folder? */
function writableFolder(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
