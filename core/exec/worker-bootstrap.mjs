// Worker threads start here. Node 20 does not pass --import loader hooks on to a worker, so the
// worker's TypeScript — worker-entry.ts and the task modules the executor sends it (TASK_MODULES) —
// loads as one cached bundle, as the CLI's does (core/host/source-bundle.mjs), or through tsx when
// it cannot be bundled. A task module outside TASK_MODULES (a test's) loads through tsx on first use.
import { importSources, LAZY_IMPORT } from '../host/source-bundle.mjs';

/** Modules named by WorkerTask.module (model.ts TASKS_MODULE, prep/worker-task.ts WORKER_TASK_MODULE). */
const TASK_MODULES = ['core/ml/tasks.ts', 'core/ml/prep/worker-task.ts'];

const bundled = new Map();
let tsx = null;
async function importThroughTsx(specifier) {
  tsx ??= import('tsx/esm/api').then(({ register }) => register());
  await tsx;
  return import(specifier);
}
// worker-entry.ts's import(task.module) comes here when it runs from the bundle.
globalThis[Symbol.for(LAZY_IMPORT)] = (specifier) => bundled.get(specifier) ?? (/\.[cm]?ts$/.test(specifier) ? importThroughTsx(specifier) : import(specifier));

const modules = await importSources('worker', { 'core/exec/worker-entry.ts': [], ...Object.fromEntries(TASK_MODULES.map((path) => [path, ['*']])) });
for (const path of TASK_MODULES) if (modules[path]) bundled.set(new URL(`../../${path}`, import.meta.url).href, modules[path]);
