/** Tidy's layout in a web worker (elk-layout.worker.ts), started on the first Tidy and kept. */
import type { ElkNode } from 'elkjs/lib/elk-api.js';

let worker: Worker | null = null;
let nextId = 0;
const waiting = new Map<number, { resolve: (g: ElkNode) => void; reject: (e: Error) => void }>();

export async function layoutInWorker(graph: ElkNode): Promise<ElkNode> {
  if (!worker) {
    const { default: ElkWorker } = await import('./elk-layout.worker.ts?worker');
    worker = new ElkWorker();
    worker.onmessage = (e: MessageEvent<{ id: number; graph?: ElkNode; error?: string }>) => {
      const w = waiting.get(e.data.id);
      waiting.delete(e.data.id);
      if (e.data.graph) w?.resolve(e.data.graph);
      else w?.reject(new Error(`Tidy could not lay the pipeline out: ${e.data.error}`));
    };
    // A worker that cannot start or crashes fails every layout waiting on it (Tidy says so), and is made anew next time.
    worker.onerror = (e) => {
      for (const w of waiting.values()) w.reject(new Error(`Tidy could not lay the pipeline out: ${e.message || 'its worker stopped'}`));
      waiting.clear();
      worker = null;
    };
  }
  const id = nextId++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    worker!.postMessage({ id, graph });
  });
}
