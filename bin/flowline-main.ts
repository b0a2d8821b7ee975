/**
 * The `flowline` command's composition root: wires the node catalog and the worker tasks into the
 * CLI. `npm run build` bundles it to out/cli/flowline.js (what an installed package runs);
 * bin/flowline.js runs it from the sources in a checkout.
 */
import { main } from '../core/host/cli.ts';
import { WORKER_TASKS } from '../core/host/worker-tasks.ts';
import { NODES } from '../nodes/index.ts';

// `flowline nodes | head`: the reader went away; stop quietly, as Unix tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

// No top-level await: the development loader (dev/source-bundle.mjs) runs this as CommonJS.
void main(process.argv.slice(2), { nodes: NODES, tasks: WORKER_TASKS }).then((code) => {
  process.exitCode = code;
});
