/**
 * Studio benchmark (not a test): open a generated pipeline of 1,000 nodes and 1,000 edges in the
 * real studio and time
 * (1) opening it until the view is fitted (zoomed out: use enough --nodes) and every node card
 *     in it is rendered and measured (target < 1.5 s), and
 * (2) frames per second, counted with requestAnimationFrame, while dragging a node (target ≥ 50):
 *     a node in the middle of the view, and the node nearest the top left dragged past the canvas edge (xyflow
 *     auto-pans; target ≥ 45);
 * (3) the same while panning the canvas along the same pointer path (target ≥ 50).
 * Each target prints as MET / NOT MET beside the median figure, and beside the same measures of a
 * bare @xyflow/react page showing the same graph in the same run (bench/xyflow-yardstick, built by
 * our Vite config; React Flow's own stress example is not in its npm package): what xyflow itself
 * costs at this size on this machine, interleaved run by run so both see the same load.
 * Earlier versions grabbed n0 at (left + 20, top + 10) px, which at the fitted zoom (≈0.11) lies
 * below the 25 × 10 px card, on the pane: they measured a pan, not a node drag.
 *
 *   npm run build && npx tsx bench/studio.ts [--nodes 1000] [--edges 1000] [--runs 3] [--headed] [--renderer DIR] [--cpu-profile DIR] [--no-yardstick] [--screenshots DIR]
 *
 * --screenshots saves the studio's canvas after the first open (fitted, zoomed out) and zoomed in
 * step by step to the 'far' and the normal ('near') card, to compare two builds' cards by eye.
 *
 * --cpu-profile writes a Chromium CPU profile and trace of the open and of each gesture, for both
 * pages (studio-open-1.cpuprofile, xyflow-drag-1.trace.json...; DevTools' Performance panel loads
 * them) and prints where the main thread's time went: for each gesture, ms per animation frame in
 * scripting, style+layout, hit test, paint, compositing (Layerize: Chromium re-layerizes every
 * element on the canvas whenever anything repaints) and the raster threads. Build the renderer unminified to read them:
 *   npx vite build --config renderer/vite.config.ts --outDir /tmp/r --minify false   (then --renderer /tmp/r)
 *
 * Nodes sit in rows of 20, each chained to the one before it; the first node of every row after
 * the first is a two-input step (a join) that also takes the last node of the row above and the
 * node above it, until there are --edges edges.
 *
 * --renderer serves another build of the renderer (default out/renderer), to compare two builds
 * under the same machine load.
 *
 * Each run reloads the studio and opens the file again; the table shows the median of the runs.
 * On a shared machine the figures swing with the load average, which is printed beside them.
 *
 * Uses Debian's Chromium (/usr/bin/chromium) and the web host on a free port.
 */
import { WORKER_TASKS } from '../core/host/worker-tasks.ts';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { startWebHost } from '../core/host/web-host.ts';
import { serializePipeline } from '../core/schema/serialize.ts';
import { emptyPipeline, type Pipeline } from '../core/schema/pipeline.ts';
import { NODES } from '../nodes/index.ts';
import { profiled } from './support/browser-profile.ts';
import { startYardstick } from './support/xyflow-yardstick.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const COUNT = arg('nodes', 1000);
const EDGES = arg('edges', COUNT);
const RUNS = arg('runs', 3);
const PER_ROW = 20;
/** A card's nominal size in flow units (a join's card is taller): which nodes lie wholly in the pane. */
const CARD = { width: 220, height: 110 };
const PROFILE_DIR = (() => {
  const i = process.argv.indexOf('--cpu-profile');
  return i > 0 ? process.argv[i + 1] : undefined;
})();
const NO_YARDSTICK = process.argv.includes('--no-yardstick');
const SHOTS_DIR = (() => {
  const i = process.argv.indexOf('--screenshots');
  return i > 0 ? process.argv[i + 1] : undefined;
})();
const XYFLOW_VERSION = (JSON.parse(readFileSync(new URL('../node_modules/@xyflow/react/package.json', import.meta.url), 'utf8')) as { version: string }).version;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'flowline-bench-studio-'));
  const i = process.argv.indexOf('--renderer');
  const rendererDir = i > 0 ? process.argv[i + 1] : undefined;
  const host = await startWebHost({ nodes: NODES, tasks: WORKER_TASKS, port: 0, rendererDir, stateDir: join(dir, 'state'), cwd: dir, openBrowser: false });
  const catalog = await host.service.catalog();
  // A table → table step, so the nodes chain into rows of edges.
  const step = catalog.find((c) => c.inputs.length === 1 && c.inputs[0].type === 'table' && c.outputs.some((o) => o.type === 'table'));
  if (!step) throw new Error('no table → table node in the catalog');
  const outPort = step.outputs.find((o) => o.type === 'table')!.name;
  // Two table inputs, a table out: what joins the rows so the edges can outnumber the chains.
  const joiner = catalog.find((c) => c.inputs.filter((p) => p.type === 'table').length >= 2 && c.outputs.some((o) => o.type === 'table'));
  const pipeline: Pipeline = emptyPipeline(`${COUNT} nodes`);
  const chained = COUNT - Math.ceil(COUNT / PER_ROW);
  let extra = Math.max(0, EDGES - chained);
  for (let i = 0; i < COUNT; i++) {
    const id = `n${i}`;
    const rowStart = i % PER_ROW === 0 && i > 0;
    const kind = rowStart && joiner && extra > 0 ? joiner : step;
    pipeline.nodes.push({ id, type: kind.type, version: kind.version, params: structuredClone(kind.defaults) });
    pipeline.layout.positions[id] = { x: (i % PER_ROW) * 280, y: Math.floor(i / PER_ROW) * 170 };
    if (!rowStart && i > 0) pipeline.edges.push({ from: `n${i - 1}.${outPort}`, to: `${id}.${step.inputs[0].name}` });
    if (kind === joiner) {
      const [a, b] = joiner.inputs.filter((p) => p.type === 'table');
      const joinOut = joiner.outputs.find((o) => o.type === 'table')!.name;
      const out = (j: number) => `n${j}.${pipeline.nodes[j].type === joiner.type ? joinOut : outPort}`;
      pipeline.edges.push({ from: out(i - 1), to: `${id}.${a.name}` });
      extra--;
      if (extra > 0) {
        pipeline.edges.push({ from: out(i - PER_ROW), to: `${id}.${b.name}` });
        extra--;
      }
    }
  }
  const layout = pipeline.nodes.map((n): [string, number, number] => [n.id, pipeline.layout.positions[n.id].x, pipeline.layout.positions[n.id].y]);
  const file = join(dir, 'big.flow.json');
  writeFileSync(file, serializePipeline(pipeline));

  const yardstick = NO_YARDSTICK ? undefined : await startYardstick();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: !process.argv.includes('--headed'), args: ['--no-sandbox'] });
  try {
    // bypassCSP: the page's CSP forbids eval, which Playwright's string predicates need.
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    const studio: Target = {
      name: 'studio',
      nodes: '.react-flow__node-card',
      async prepare() {
        await page.goto(host.url);
        await page.getByTestId('start-open').click();
        await page.getByTestId('open-path').fill(file);
        return () => page.getByTestId('open-submit').click();
      },
    };
    const bare: Target = {
      name: 'xyflow',
      nodes: '.react-flow__node',
      async prepare() {
        await page.goto(yardstick!.url);
        return () => page.getByTestId('load').click();
      },
    };
    const figures = { studio: [] as Figures[], xyflow: [] as Figures[] };
    for (let run = 1; run <= RUNS; run++) {
      // Interleaved, so both see the same machine load.
      const ours = await measure(page, studio, layout, run);
      figures.studio.push(ours);
      console.log(`run ${run}, studio: ${describe(ours)}`);
      if (!yardstick) continue;
      // The same graph in a pane of the studio canvas's size.
      const positions = pipeline.layout.positions;
      const node = (endpoint: string) => endpoint.split('.')[0];
      yardstick.setGraph({
        nodes: pipeline.nodes.map((n) => ({ id: n.id, x: positions[n.id].x, y: positions[n.id].y })),
        edges: pipeline.edges.map((e) => ({ source: node(e.from), target: node(e.to) })),
        ...ours.pane,
      });
      const theirs = await measure(page, bare, layout, run);
      figures.xyflow.push(theirs);
      console.log(`run ${run}, xyflow: ${describe(theirs)}`);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const kinds = [...new Set(pipeline.nodes.map((n) => n.type))].join(', ');
    const pane = figures.studio[0].pane;
    console.log(`\nStudio benchmark — ${COUNT} nodes (${kinds}), ${pipeline.edges.length} edges, Chromium headless 1280×800 (canvas ${pane.width}×${pane.height}), median of ${RUNS}, renderer ${rendererDir ?? 'out/renderer'}`);
    console.log(`load average: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`);
    console.log(`yardstick: ${yardstick ? `bare @xyflow/react ${XYFLOW_VERSION} (bench/xyflow-yardstick: the same nodes and edges as default nodes of a card's size, Controls, Background, MiniMap), same run, same pane size` : 'not measured (--no-yardstick)'}`);
    const verdict = (ok: boolean) => (ok ? 'MET' : 'NOT MET');
    const theirs = (f: (x: Figures) => number, unit: string, digits: number) => (yardstick ? `${median(figures.xyflow.map(f)).toFixed(digits).padStart(7)} ${unit}`.padEnd(11) : 'n/a'.padEnd(11));
    const row = (label: string, f: (x: Figures) => number, unit: string, digits: number, target: string, ok: (v: number) => boolean) => {
      const v = median(figures.studio.map(f));
      console.log(`| ${label.padEnd(36)} | ${`${v.toFixed(digits).padStart(7)} ${unit}`.padEnd(11)} | ${theirs(f, unit, digits)} | ${target.padEnd(10)} | ${verdict(ok(v)).padEnd(7)} |`);
    };
    console.log('| measure                              | studio      | xyflow      | target     | result  |');
    console.log('|--------------------------------------|-------------|-------------|------------|---------|');
    row('open → every node in view rendered', (x) => x.openMs, 'ms', 0, '< 1500 ms', (v) => v < 1500);
    row('drag one node: frames per second', (x) => x.drag.fps, 'fps', 1, '≥ 50 fps', (v) => v >= 50);
    row('same, dragged past the canvas edge', (x) => x.edgeDrag.fps, 'fps', 1, '≥ 45 fps', (v) => v >= 45);
    row('pan the canvas: frames per second', (x) => x.pan.fps, 'fps', 1, '≥ 50 fps', (v) => v >= 50);
  } finally {
    await browser.close();
    await host.close();
    await yardstick?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A page that shows the benchmark's graph: `prepare` loads it and returns the action that opens the graph. */
interface Target {
  name: 'studio' | 'xyflow';
  /** Selector of the graph's node elements. */
  nodes: string;
  prepare(): Promise<() => Promise<void>>;
}

type Rate = Awaited<ReturnType<typeof gesture>>;
type Figures = Awaited<ReturnType<typeof measure>>;
const describe = (r: Figures) => {
  const g = (x: Rate) => `${x.fps.toFixed(1)} fps (${x.moves} pointer moves, ${x.frames} frames in ${x.ms} ms)`;
  return `open ${r.openMs} ms (${r.rendered} nodes in the DOM${r.drawn ? `, ${r.drawn} drawn as one picture` : ''}), drag node in view ${g(r.drag)}, moved: ${r.moved ? 'yes' : 'NO'}; drag node past the edge ${g(r.edgeDrag)}; pan ${g(r.pan)}`;
};

async function measure(page: Page, target: Target, layout: [string, number, number][], run: number) {
  const open = await target.prepare();
  const tag = (step: string) => `${target.name}-${step}-${run}`;

  // (1) Open → the view fitted (zoomed out) and every node wholly inside the pane rendered and
  // measured by xyflow (no longer hidden). Nodes outside the pane count only when the canvas
  // renders them at all (xyflow's onlyRenderVisibleElements leaves them out of the DOM).
  const openMs = await profiled(PROFILE_DIR, page, tag('open'), async () => {
    const t0 = Date.now();
    await open();
    await page.waitForFunction(
      `(() => {
        const vp = document.querySelector('.react-flow__viewport');
        if (!vp) return false;
        const m = new DOMMatrixReadOnly(getComputedStyle(vp).transform);
        if (m.a >= 1) return false;
        const pane = document.querySelector('.react-flow').getBoundingClientRect();
        const shown = new Map([...document.querySelectorAll('${target.nodes}')].map((el) => [el.closest('.react-flow__node').dataset.id, el.closest('.react-flow__node').style.visibility !== 'hidden']));
        // Zoomed far out, the studio draws a big pipeline's cards as one picture (FarCards.tsx).
        for (const t of document.querySelectorAll('.far-cards text[data-id]')) if (!shown.has(t.dataset.id)) shown.set(t.dataset.id, true);
        let inside = 0;
        for (const [id, x, y] of ${JSON.stringify(layout)}) {
          const sx = m.e + x * m.a, sy = m.f + y * m.a;
          if (sx < 0 || sy < 0 || sx + ${CARD.width} * m.a > pane.width || sy + ${CARD.height} * m.a > pane.height) continue;
          inside++;
          if (!shown.get(id)) return false;
        }
        return inside > 0 && [...shown.values()].every(Boolean);
      })()`,
      undefined,
      { polling: 'raf', timeout: 60_000 },
    );
    return Date.now() - t0;
  });
  const rendered = await page.locator(target.nodes).count();
  const drawn = await page.locator('.far-cards text[data-id]').count();
  if (SHOTS_DIR && run === 1 && target.name === 'studio') await screenshots(page, SHOTS_DIR);
  const pane = await page.evaluate<{ width: number; height: number }>(`(() => { const r = document.querySelector('.react-flow').getBoundingClientRect(); return { width: Math.round(r.width), height: Math.round(r.height) }; })()`);
  // The fit happens once the nodes are measured: let it land before grabbing a node.
  await page.waitForTimeout(300);

  // (2) Drag a node in the middle of the grid for ~2 s, grabbed at its centre (at this zoom a card
  // is about 25 × 10 px), while counting animation frames; the path stays inside the view.
  // Found by its place in the layout, not in the DOM: far out, the studio renders a card only once
  // the pointer is over it (far-cards.ts), as a user's pointer is before a press.
  const wrapper = (id: string) => `.react-flow__node[data-id="${id}"]`;
  const flowPosition = (id: string) => `document.querySelector('${wrapper(id)}').style.transform`;
  const midIndex = Math.floor(COUNT / PER_ROW / 2) * PER_ROW + PER_ROW / 2;
  const mid = `n${midIndex}`;
  const [mx, my] = await page.evaluate<[number, number]>(`(() => {
    const m = new DOMMatrixReadOnly(getComputedStyle(document.querySelector('.react-flow__viewport')).transform);
    const pane = document.querySelector('.react-flow').getBoundingClientRect();
    return [pane.left + m.e + (${layout[midIndex][1]} + ${CARD.width / 2}) * m.a, pane.top + m.f + (${layout[midIndex][2]} + ${CARD.height / 2}) * m.a];
  })()`);
  await hover(page, mx, my, mid);
  const before = await page.evaluate<string>(flowPosition(mid));
  const drag = await profiled(PROFILE_DIR, page, tag('drag'), () => gesture(page, mx, my, mid));
  const moved = (await page.evaluate<string>(flowPosition(mid))) !== before;

  // (2b) The same with a node at the top left: the path leaves the pane, so xyflow auto-pans the
  // view meanwhile (every card is repainted on each auto-pan step).
  await page.locator('.react-flow__controls-fitview').click();
  await page.waitForTimeout(300);
  // The node nearest the pane's top left corner that is wholly in view (n0 unless the fitted view
  // is clamped by the minimum zoom, as at 1,000 nodes).
  // By the layout, as above; its centre must show a card (rendered, or drawn in the studio's far picture), not a control.
  const [cornerId, cx, cy] = await page.evaluate<[string, number, number]>(`(() => {
    const pane = document.querySelector('.react-flow__pane').getBoundingClientRect();
    const m = new DOMMatrixReadOnly(getComputedStyle(document.querySelector('.react-flow__viewport')).transform);
    let best = null;
    for (const [id, fx, fy] of ${JSON.stringify(layout)}) {
      const left = pane.left + m.e + fx * m.a, top = pane.top + m.f + fy * m.a;
      if (left < pane.left || top < pane.top || left + ${CARD.width} * m.a > pane.right || top + ${CARD.height} * m.a > pane.bottom) continue;
      const x = left + ${CARD.width / 2} * m.a, y = top + ${CARD.height / 2} * m.a;
      const hit = document.elementFromPoint(x, y);
      const node = hit?.closest('.react-flow__node');
      if (node ? node.dataset.id !== id : !hit?.classList.contains('far-cards__box')) continue;
      if (!best || x + y < best[1] + best[2]) best = [id, x, y];
    }
    if (!best) throw new Error('no node wholly in view');
    return best;
  })()`);
  const edgeDrag = await profiled(PROFILE_DIR, page, tag('edge-drag'), () => gesture(page, cx, cy, cornerId));

  // (3) Pan the canvas along the same path from the fitted view again (the drag's auto-pan moved it),
  // grabbed on the first empty spot of the pane from the top left.
  await page.locator('.react-flow__controls-fitview').click();
  await page.waitForTimeout(300);
  const [px, py] = await page.evaluate<[number, number]>(`(() => {
    const r = document.querySelector('.react-flow__pane').getBoundingClientRect();
    for (let y = r.top + 60; y < r.bottom - 60; y += 5)
      for (let x = r.left + 60; x < r.right - 60; x += 5)
        if (document.elementFromPoint(x, y)?.classList.contains('react-flow__pane')) return [x, y];
    throw new Error('no empty spot on the pane');
  })()`);
  const pan = await profiled(PROFILE_DIR, page, tag('pan'), () => gesture(page, px, py, 'pane'));
  return { openMs, rendered, drawn, pane, drag, edgeDrag, pan, moved };
}

/** The canvas fitted, then zoomed in (Controls' button, ×1.2 a click) to 'far' and to 'near', then fitted again. */
async function screenshots(page: Page, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await page.waitForTimeout(300);
  const canvas = page.getByTestId('canvas');
  await canvas.screenshot({ path: join(dir, 'studio-fitted.png') });
  for (const level of ['far', 'near']) {
    while ((await canvas.getAttribute('data-zoom-level')) !== level) {
      await page.locator('.react-flow__controls-zoomin').click();
      await page.waitForTimeout(100);
    }
    await page.waitForTimeout(300);
    await canvas.screenshot({ path: join(dir, `studio-${level}.png`) });
  }
  await page.locator('.react-flow__controls-fitview').click();
  console.log(`screenshots in ${dir}`);
}

/** Move the pointer to (sx, sy) and wait until node `expect` (or the empty pane) is what lies there. */
async function hover(page: Page, sx: number, sy: number, expect: string): Promise<void> {
  await page.mouse.move(sx, sy);
  const hitAt = `(() => {
    const e = document.elementFromPoint(${sx}, ${sy});
    const node = e?.closest('.react-flow__node');
    return node ? node.dataset.id : e?.classList.contains('react-flow__pane') ? 'pane' : String(e?.className?.baseVal ?? e?.className);
  })()`;
  try {
    await page.waitForFunction(`${hitAt} === ${JSON.stringify(expect)}`, undefined, { polling: 'raf', timeout: 5000 });
  } catch {
    throw new Error(`the gesture meant for ${expect} would start on ${await page.evaluate<string>(hitAt)}`);
  }
}

/** Press at (sx, sy) on node `expect` (or the empty pane), move along a fixed path for ~2 s, release; frames per second. */
async function gesture(page: Page, sx: number, sy: number, expect: string) {
  await hover(page, sx, sy, expect);
  // Strings, not functions: tsx's name-keeping helpers do not exist inside the page.
  await page.evaluate(`(() => {
    window.__frames = 0;
    window.__counting = true;
    const tick = () => { if (!window.__counting) return; window.__frames++; requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })()`);
  await page.mouse.move(sx, sy);
  await page.mouse.down();
  const d0 = Date.now();
  let moves = 0;
  while (Date.now() - d0 < 2000) {
    moves++;
    await page.mouse.move(sx + 150 * Math.sin(moves / 10), sy + 100 * Math.cos(moves / 13) - 100);
  }
  await page.mouse.up();
  const ms = Date.now() - d0;
  const frames = await page.evaluate<number>(`(() => { window.__counting = false; return window.__frames; })()`);
  return { fps: (frames / ms) * 1000, moves, frames, ms };
}

await main();
