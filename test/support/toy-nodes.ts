import { z } from 'zod';
import { defineNode, param, paramsChoice, type MetricsValue } from '../../core/spec/index.ts';
import { squareTask } from './toy-tasks.ts';

/** Tiny nodes whose outputs are plain numbers, for testing the compiler and executor alone. */
export const runCounts = new Map<string, number>();

const metrics = (v: number): MetricsValue => ({ kind: 'metrics', task: 'regression', scope: 'toy', values: { v }, charts: [], tables: [] });
const count = (id: string) => runCounts.set(id, (runCounts.get(id) ?? 0) + 1);

export const constant = defineNode({
  type: 'toy.constant',
  version: 1,
  title: 'Constant',
  category: 'Utility',
  description: 'Emits a number.',
  inputs: {},
  outputs: { out: { type: 'metrics', label: 'Value' } },
  params: z.object({ value: z.number().min(0).max(100).default(1).meta({ description: 'The number.' }) }),
  exportable: false,
  async run({ params, ctx }) {
    count(ctx.nodeId);
    return { out: metrics(params.value) };
  },
});

export const add = defineNode({
  type: 'toy.add',
  version: 1,
  title: 'Add',
  category: 'Utility',
  description: 'Adds its inputs and a constant.',
  inputs: { a: { type: 'metrics', label: 'A' }, b: { type: 'metrics', label: 'B', required: false } },
  outputs: { out: { type: 'metrics', label: 'Sum' } },
  params: z.object({ plus: z.number().default(0), fail: z.boolean().default(false), sleepMs: z.number().default(0) }),
  exportable: false,
  async run({ inputs, params, ctx }) {
    count(ctx.nodeId);
    if (params.sleepMs) {
      const until = Date.now() + params.sleepMs;
      while (Date.now() < until) {
        ctx.throwIfCancelled();
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    if (params.fail) throw ctx.error({ code: 'BAD_DATA', message: 'asked to fail' });
    return { out: metrics(inputs.a.values.v + (inputs.b?.values.v ?? 0) + params.plus) };
  },
});

export const square = defineNode({
  type: 'toy.square_in_worker',
  version: 1,
  title: 'Square in a worker',
  category: 'Utility',
  description: 'Squares its input on a worker thread.',
  inputs: { a: { type: 'metrics', label: 'A' } },
  outputs: { out: { type: 'metrics', label: 'Square' } },
  params: z.object({ spinMs: z.number().default(0) }),
  exportable: false,
  async run({ inputs, params, ctx }) {
    count(ctx.nodeId);
    const r = await ctx.runInWorker(squareTask, { v: inputs.a.values.v, spinMs: params.spinMs });
    return { out: metrics(r) };
  },
});

export const toyTable = defineNode({
  type: 'toy.table_sink',
  version: 1,
  title: 'Needs a table',
  category: 'Utility',
  description: 'Takes a table (to test type mismatches).',
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: {},
  params: z.object({}),
  exportable: false,
  async run() {
    return {};
  },
});

/** Params that depend on a choice (as Train's learner), and a seed: emits its run's seed. */
export const toyChoice = defineNode({
  type: 'toy.choice',
  version: 1,
  title: 'Shape',
  category: 'Utility',
  description: 'A shape and its settings; emits the seed its run got.',
  inputs: {},
  outputs: { out: { type: 'metrics', label: 'Seed' } },
  params: paramsChoice({
    key: 'shape',
    description: 'Which shape',
    defaultValue: 'circle',
    shared: { label: z.string().default('x').describe('A label'), seed: param.seed() },
    options: [
      { value: 'circle', title: 'Circle', shape: { settings: z.strictObject({ radius: z.number().min(0).default(1).describe('Radius') }).default({ radius: 1 }) } },
      {
        value: 'square',
        title: 'Square',
        shape: { settings: z.strictObject({ side: z.number().min(0).default(2).describe('Side'), rounded: z.boolean().default(false) }).default({ side: 2, rounded: false }) },
      },
    ],
    common: { settings: z.record(z.string(), z.unknown()) },
  }),
  exportable: false,
  async run({ ctx }) {
    count(ctx.nodeId);
    return { out: metrics(ctx.seed) };
  },
});

export const TOY_NODES = [constant, add, square, toyTable, toyChoice];
