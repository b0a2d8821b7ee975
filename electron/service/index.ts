/**
 * Electron's service process (a utilityProcess forked by main): the composition root that runs
 * the host service with the node catalog and the worker pool, answering main over the parent port.
 * `npm run build` bundles it to out/service/index.js.
 *
 * Its one argument is JSON: { stateDir, cwd } (main knows the app's folders; this process has no `app`).
 * Under plain Node (tests, no Electron binary) it runs in a worker thread and speaks over the
 * thread's parent port instead of process.parentPort.
 */
import { parentPort as threadPort } from 'node:worker_threads';
import { createService } from '../../core/host/service.ts';
import { DEFAULT_TEMPLATES_DIR } from '../../core/host/service/state-dir.ts';
import { WORKER_TASKS } from '../../core/host/worker-tasks.ts';
import { NODES } from '../../nodes/index.ts';
import { serveOverChannel, type Channel, type FromService, type ToService } from './channel.ts';

/** Electron's process.parentPort (absent under plain Node): messages arrive as { data }. */
interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

function parentChannel(): Channel<ToService, FromService> {
  const electronPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (electronPort) return { post: (m) => electronPort.postMessage(m), onMessage: (l) => electronPort.on('message', (e) => l(e.data as ToService)) };
  if (threadPort) {
    const port = threadPort;
    return { post: (m) => port.postMessage(m), onMessage: (l) => port.on('message', (m: ToService) => l(m)) };
  }
  throw new Error('the Flowline service must be started by Electron main (utilityProcess.fork) or in a worker thread');
}

const settings = JSON.parse(process.argv.find((a) => a.startsWith('{')) ?? '{}') as { stateDir?: string; cwd?: string };
if (!settings.stateDir) throw new Error('the Flowline service needs { stateDir } as its first argument');
const service = createService({ nodes: NODES, tasks: WORKER_TASKS, stateDir: settings.stateDir, host: 'electron', templatesDir: DEFAULT_TEMPLATES_DIR, cwd: settings.cwd });
serveOverChannel(service, parentChannel(), () => {
  // A worker thread (tests) ends when its port closes; a utility process exits.
  if (threadPort) threadPort.close();
  else process.exit(0);
});
