/** `flowline worker ...` from the sources, as a process the queue tests start and kill. */
import { main } from '../../core/host/cli.ts';
import { WORKER_TASKS } from '../../core/host/worker-tasks.ts';
import { NODES } from '../../nodes/index.ts';

process.exitCode = await main(['worker', ...process.argv.slice(2)], { nodes: NODES, tasks: WORKER_TASKS });
process.exit();
