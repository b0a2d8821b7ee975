/**
 * Tidy's layout (renderer/src/lib/elk-layout.ts) on pipelines of 30 and 300 nodes: ELK layered,
 * the same graph and options the studio sends (each card at its declared size, its handles as ports), timed here on one thread (the studio runs it in a
 * web worker, so the window keeps answering however long it takes). The yardstick is a frame
 * budget: a layout over ~100 ms on the window's thread would be a visible freeze, which is why it
 * is in a worker.   npx tsx bench/tidy.ts [--repeat 3]
 */
import { readFileSync } from 'node:fs';
import ELK from 'elkjs/lib/elk.bundled.js';
import { parsePipeline } from '../core/schema/index.ts';
import type { Pipeline } from '../core/schema/pipeline.ts';
import { catalogEntry } from '../core/host/service/catalog.ts';
import { NODES } from '../nodes/index.ts';
import { declaredCard } from '../renderer/src/canvas/card-geometry.ts';
import { elkLayout } from '../renderer/src/lib/elk-layout.ts';

const repeat = Number(process.argv[process.argv.indexOf('--repeat') + 1] || 3);
const elk = new ELK({ algorithms: ['layered'] });
/** Each node type's card as the canvas declares it before measuring. */
const cardOf = (type: string) => declaredCard(catalogEntry(NODES.find((s) => s.type === type)!));

/** `copies` of a shipped template side by side, each copy's source fed from the previous copy's split (one connected graph). */
function pipelineOf(copies: number): Pipeline {
  const t = parsePipeline(readFileSync(new URL('../templates/fraud-detection.flow.json', import.meta.url), 'utf8'), 'fraud');
  const p: Pipeline = { ...t, nodes: [], edges: [], layout: { positions: {}, notes: [], groups: [] } };
  for (let c = 0; c < copies; c++) {
    const id = (s: string) => `c${c}_${s}`;
    p.nodes.push(...t.nodes.map((n) => ({ ...n, id: id(n.id) })));
    p.edges.push(...t.edges.map((e) => ({ from: `c${c}_${e.from}`, to: `c${c}_${e.to}` })));
    // A chain between copies, with an edge that skips a layer: the long lanes Tidy must route.
    if (c > 0) p.edges.push({ from: `c${c - 1}_split.test`, to: `${id('unlabelled')}.table` }, { from: `c${c - 1}_split.train`, to: `${id('evaluate')}.table` });
  }
  return p;
}

for (const copies of [4, 34]) {
  const p = pipelineOf(copies);
  const cards = new Map(p.nodes.map((n) => [n.id, cardOf(n.type)]));
  const times: number[] = [];
  let points = 0;
  for (let r = 0; r < repeat; r++) {
    const t0 = performance.now();
    const { routes } = await elkLayout(p, (id) => cards.get(id), (g) => elk.layout(g));
    times.push(performance.now() - t0);
    points = Object.values(routes).reduce((s, route) => s + route.points.length, 0);
  }
  const best = Math.min(...times);
  console.log(`${String(p.nodes.length).padStart(4)} nodes, ${p.edges.length} edges: ELK layered best ${best.toFixed(0)} ms (runs: ${times.map((t) => t.toFixed(0)).join(', ')}), ${points} route points (lane ends and bends); frame budget on the window's thread 100 ms: ${best <= 100 ? 'within it' : `${(best / 100).toFixed(1)}× over it, so it runs in a web worker`}`);
}
