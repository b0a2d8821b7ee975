/** A worker thread's composition root: serve the app's task registry (bundled to out/worker/index.js). */
import { serveWorkerTasks } from '../exec/worker-entry.ts';
import { WORKER_TASKS } from './worker-tasks.ts';

serveWorkerTasks(WORKER_TASKS);
