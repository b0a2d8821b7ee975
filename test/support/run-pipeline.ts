import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile } from '../../core/compile/index.ts';
import { execute } from '../../core/exec/index.ts';
import type { NodeResult, RunEvent, RunSummary } from '../../core/host/api.ts';
import { CURRENT_VERSION, Pipeline, type Pipeline as PipelineDoc } from '../../core/schema/index.ts';
import type { AnyNodeSpec } from '../../core/spec/index.ts';
import type { PortValue } from '../../core/spec/values.ts';
import { NODES } from '../../nodes/index.ts';
import { TOY_TASKS } from './toy-tasks.ts';

export interface TestRun extends RunSummary {
  events: RunEvent[];
  node(id: string): NodeResult;
  /** The value on a node's output port; throws with the node's error if it did not finish. */
  output<T extends PortValue = PortValue>(id: string, port: string): T;
}

/**
 * Compile and execute a pipeline exactly as the CLI does, with the real node list, cache and
 * worker pool. `pipeline` may be partial: format/version/layout are filled in.
 */
export async function runPipeline(
  pipeline: Partial<PipelineDoc> & { nodes: PipelineDoc['nodes'] },
  options: { dir?: string; cacheDir?: string; set?: string[]; to?: string; nodes?: AnyNodeSpec[]; signal?: AbortSignal; onEvent?: (e: RunEvent) => void; useCache?: boolean } = {},
): Promise<TestRun> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'flowline-run-'));
  const doc = Pipeline.parse({ format: 'flowline.pipeline', version: CURRENT_VERSION, ...pipeline });
  const { plan, diagnostics } = compile(doc, options.nodes ?? NODES, { set: options.set, to: options.to });
  if (!plan) throw new Error(`pipeline does not compile:\n${diagnostics.map((d) => `  [${d.code}] ${d.nodeId ?? ''} ${d.message}`).join('\n')}`);
  const events: RunEvent[] = [];
  const summary = await execute(plan, {
    cacheDir: options.cacheDir ?? join(dir, '.flowline', 'cache'),
    pipelineDir: dir,
    signal: options.signal,
    useCache: options.useCache,
    onEvent: (e) => {
      events.push(e);
      options.onEvent?.(e);
    },
    tasks: TOY_TASKS,
  });
  const node = (id: string) => {
    const n = summary.nodes.find((x) => x.id === id);
    if (!n) throw new Error(`no node "${id}" in the run`);
    return n;
  };
  return {
    ...summary,
    events,
    node,
    output<T extends PortValue = PortValue>(id: string, port: string): T {
      const n = node(id);
      if (!n.outputs) throw new Error(`node "${id}" has status ${n.status}${n.error ? `: [${n.error.code}] ${n.error.message}` : ''}`);
      return n.outputs[port] as T;
    },
  };
}
