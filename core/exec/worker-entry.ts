/**
 * Runs inside a worker thread: loads a task's module, calls the named export with the payload,
 * and streams progress and logs back. One task at a time per worker.
 */
import { parentPort } from 'node:worker_threads';
import { toErrorInfo } from '../spec/errors.ts';

interface TaskMessage {
  taskId: number;
  module: string;
  fn: string;
  payload: unknown;
}

parentPort!.on('message', async (msg: TaskMessage) => {
  const post = (m: Record<string, unknown>, transfer?: ArrayBuffer[]) => parentPort!.postMessage({ taskId: msg.taskId, ...m }, transfer ?? []);
  try {
    const mod = (await import(msg.module)) as Record<string, unknown>;
    const fn = mod[msg.fn];
    if (typeof fn !== 'function') throw new Error(`worker task ${msg.fn} not found in ${msg.module}`);
    const io = {
      progress: (fraction: number, message?: string) => post({ type: 'progress', fraction, message }),
      log: (message: string) => post({ type: 'log', message }),
    };
    const result = await (fn as (p: unknown, io: unknown) => unknown)(msg.payload, io);
    post({ type: 'result', result }, collectBuffers(result));
  } catch (e) {
    post({ type: 'error', error: toErrorInfo(e) });
  }
});

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
