/**
 * The worker-thread side of the pool: a worker's entry module calls serveWorkerTasks(registry)
 * once; each message names a task of that registry and carries its payload. Progress and logs
 * stream back; one task at a time per worker.
 */
import { parentPort } from 'node:worker_threads';
import { FlowlineError, toErrorInfo } from '../spec/errors.ts';
import type { WorkerIO } from '../spec/worker-task.ts';
import type { TaskRegistry } from './task-registry.ts';

/** What the pool posts to a worker. */
export interface TaskMessage {
  taskId: number;
  task: string;
  payload: unknown;
}

export function serveWorkerTasks(registry: Pick<TaskRegistry, 'tasks'>): void {
  if (!parentPort) throw new Error('serveWorkerTasks runs inside a worker thread');
  const port = parentPort;
  port.on('message', async (msg: TaskMessage) => {
    const post = (m: Record<string, unknown>, transfer?: ArrayBuffer[]) => port.postMessage({ taskId: msg.taskId, ...m }, transfer ?? []);
    try {
      const task = registry.tasks.get(msg.task);
      if (!task) throw new FlowlineError({ code: 'INTERNAL', message: `This worker has no task "${msg.task}".`, hint: 'Register it in the worker task registry its pool was given.' });
      const io: WorkerIO = {
        progress: (fraction, message) => post({ type: 'progress', fraction, message }),
        log: (message) => post({ type: 'log', message }),
      };
      const result = await task.run(msg.payload as never, io);
      post({ type: 'result', result }, collectBuffers(result));
    } catch (e) {
      post({ type: 'error', error: toErrorInfo(e) });
    }
  });
}

/** Transfer large typed arrays instead of copying them (only buffers owned whole). */
function collectBuffers(value: unknown, out: ArrayBuffer[] = [], depth = 0): ArrayBuffer[] {
  if (depth > 6 || !value || typeof value !== 'object') return out;
  if (ArrayBuffer.isView(value)) {
    const buf = value.buffer;
    if (buf instanceof ArrayBuffer && value.byteOffset === 0 && value.byteLength === buf.byteLength && !out.includes(buf) && buf.byteLength > 4096) out.push(buf);
    return out;
  }
  for (const v of Array.isArray(value) ? value : Object.values(value)) collectBuffers(v, out, depth + 1);
  return out;
}
