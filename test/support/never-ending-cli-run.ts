/**
 * `flowline run FILE` through the real CLI, with one extra node type `test.never_ends` that never
 * finishes (it keeps the process alive). The killed-run test SIGKILLs this process mid-run.
 * Usage: node --import tsx test/support/never-ending-cli-run.ts FILE
 */
import { z } from 'zod';
import { main } from '../../core/host/cli.ts';
import { WORKER_TASKS } from '../../core/host/worker-tasks.ts';
import { defineNode } from '../../core/spec/index.ts';
import { NODES } from '../../nodes/index.ts';

const neverEnds = defineNode({
  type: 'test.never_ends',
  version: 1,
  title: 'Never ends',
  category: 'Utility',
  description: 'Waits for ever (until the process is killed).',
  inputs: { table: { type: 'table', label: 'Table', required: false } },
  outputs: { out: { type: 'metrics', label: 'Out' } },
  params: z.object({}),
  exportable: false,
  async run() {
    setInterval(() => {}, 1 << 30);
    return new Promise<never>(() => {});
  },
});

process.exitCode = await main(['run', process.argv[2]], { nodes: [...NODES, neverEnds], tasks: WORKER_TASKS });
