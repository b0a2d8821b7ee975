/**
 * The web worker Tidy's layout runs in (elk-layout.ts): ELK takes seconds on a few hundred nodes,
 * which on the window's thread would freeze the studio. One message in ({ id, graph }), one out
 * ({ id, graph } or { id, error }).
 */
import ELK, { type ElkNode } from 'elkjs/lib/elk.bundled.js';

const elk = new ELK({ algorithms: ['layered'] });

// Set after ELK is made: inside a worker, its bundle installs a handler of its own on `self`.
self.onmessage = async (e: MessageEvent<{ id: number; graph: ElkNode }>) => {
  const { id, graph } = e.data;
  try {
    self.postMessage({ id, graph: await elk.layout(graph) });
  } catch (err) {
    self.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
};
