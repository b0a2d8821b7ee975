/** Worker threads of the test pools (TOY_TASKS) start here. */
import { serveWorkerTasks } from '../../core/exec/worker-entry.ts';
import { TOY_TASKS } from './toy-tasks.ts';

serveWorkerTasks(TOY_TASKS);
