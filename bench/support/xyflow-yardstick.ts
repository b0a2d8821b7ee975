/**
 * bench/studio.ts's yardstick: bench/xyflow-yardstick (bare @xyflow/react, no Flowline code) built
 * by the renderer's own Vite config into a temp folder, and served on 127.0.0.1 with the graph to
 * show as /graph.json. Nothing is downloaded: React Flow's own stress example lives in its
 * monorepo, not in the npm package, so this page reproduces its setup at the benchmark's size.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export interface YardstickGraph {
  nodes: { id: string; x: number; y: number }[];
  edges: { source: string; target: string }[];
  /** The pane's size in CSS pixels: the studio's canvas, so both draw the same area. */
  width: number;
  height: number;
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' };

export interface Yardstick {
  url: string;
  setGraph(graph: YardstickGraph): void;
  close(): Promise<void>;
}

export async function startYardstick(): Promise<Yardstick> {
  const out = mkdtempSync(join(tmpdir(), 'flowline-bench-xyflow-'));
  await build({
    configFile: fileURLToPath(new URL('../../renderer/vite.config.ts', import.meta.url)),
    root: fileURLToPath(new URL('../xyflow-yardstick/', import.meta.url)),
    build: { outDir: out, emptyOutDir: true },
    logLevel: 'warn',
  });
  let graph = '{}';
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/graph.json') return res.writeHead(200, { 'content-type': TYPES['.json'] }).end(graph);
    const file = normalize(join(out, path === '/' ? 'index.html' : path));
    if (!file.startsWith(out)) return res.writeHead(403).end();
    let body: Buffer;
    try {
      body = readFileSync(file);
    } catch {
      return res.writeHead(404).end();
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    setGraph: (g) => (graph = JSON.stringify(g)),
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      rmSync(out, { recursive: true, force: true });
    },
  };
}
