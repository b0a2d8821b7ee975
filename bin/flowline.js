#!/usr/bin/env node
// The `flowline` command: a composition root. It wires the node catalog into the CLI. The
// TypeScript sources load as one cached bundle (dev/source-bundle.mjs: rebuilt whenever a
// source changes, tsx when it cannot be built), so a clean clone needs no build step.
import { importSources } from '../dev/source-bundle.mjs';

// `flowline nodes | head`: the reader went away; stop quietly, as Unix tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

const { main, NODES, WORKER_TASKS } = await importSources('cli', { 'core/host/cli.ts': ['main'], 'nodes/index.ts': ['NODES'], 'core/host/worker-tasks.ts': ['WORKER_TASKS'] });
process.exitCode = await main(process.argv.slice(2), { nodes: NODES, tasks: WORKER_TASKS });
