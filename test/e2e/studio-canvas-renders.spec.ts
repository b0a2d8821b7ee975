/**
 * The canvas stays fast on big pipelines because a gesture re-renders only what it changes:
 * dragging one node re-renders that card (a bounded number of times), never the others, panning
 * re-renders none, and only the cards in view are in the DOM. Counts renders (React's commits,
 * read through a DevTools-style hook) and elements, never time.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from './support/fixtures.ts';
import { openFile, pipelineFile, screen, writePipeline } from './support/studio.ts';
import { countCardRenders, takeCardRenders } from './support/render-count.ts';

const COUNT = 24;
const PER_ROW = 6;

test('dragging one node re-renders only its own card, panning re-renders no card, and cards out of view leave the DOM', async ({ page, workDir }) => {
  test.setTimeout(60_000);
  const ids = Array.from({ length: COUNT }, (_, i) => `s${i}`);
  const doc = pipelineFile('Renders', ids.map((id) => ({ id, type: 'data.select_columns' })), ids.slice(1).map((id, i) => `${ids[i]}.table -> ${id}.table`)) as {
    layout: { positions: Record<string, { x: number; y: number }> };
  };
  ids.forEach((id, i) => (doc.layout.positions[id] = { x: (i % PER_ROW) * 280, y: Math.floor(i / PER_ROW) * 170 }));
  const file = writePipeline(workDir, 'renders.flow.json', doc);

  await countCardRenders(page);
  await openFile(page, file);
  await expect(page.locator('.react-flow__node-card')).toHaveCount(COUNT);
  await expect(page.getByTestId('node-s8')).toBeVisible();
  await page.waitForTimeout(300); // the fit and validation settle (results are counted, not timed)
  const opened = await takeCardRenders(page);
  // The counter sees every card: each rendered at least once while the file opened.
  expect(Object.keys(opened).sort()).toEqual([...ids].sort());

  // Drag s8 across the canvas in 15 pointer moves.
  const card = (await page.getByTestId('node-s8').boundingBox())!;
  const before = await page.locator('.react-flow__node[data-id="s8"]').getAttribute('style');
  await page.mouse.move(card.x + card.width / 2, card.y + 8);
  await page.mouse.down();
  await page.mouse.move(card.x + card.width / 2 + 120, card.y + 90, { steps: 15 });
  await page.mouse.up();
  await expect(page.getByTestId('btn-undo')).toHaveAttribute('title', /Move s8/);
  expect(await page.locator('.react-flow__node[data-id="s8"]').getAttribute('style')).not.toEqual(before);
  const dragged = await takeCardRenders(page);
  expect(Object.keys(dragged).filter((id) => id !== 's8'), 'cards other than the dragged one that re-rendered').toEqual([]);
  // Selected on press, dropped on release: a handful of renders, not one per pointer move.
  expect(dragged.s8 ?? 0).toBeLessThanOrEqual(4);

  // Pan along a path from an empty spot of the pane (above the fitted cards).
  const pane = (await page.locator('.react-flow__pane').boundingBox())!;
  const [x, y] = [pane.x + pane.width / 2, pane.y + 90];
  expect(await page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.classList.contains('react-flow__pane'), [x, y])).toBe(true);
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x - 150, y + 100, { steps: 15 });
  await page.mouse.up();
  expect(await takeCardRenders(page), 'cards re-rendered by a pan').toEqual({});

  // Zoomed in, the cards out of view leave the DOM (style, layout and paint scale with the view);
  // fitted again, they are all back.
  const cards = page.locator('.react-flow__node-card');
  for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Zoom In' }).click();
  await expect.poll(() => cards.count(), { message: 'cards in the DOM, zoomed in' }).toBeLessThan(COUNT);
  expect(await cards.count()).toBeGreaterThan(0);
  await page.locator('.react-flow__controls-fitview').click();
  await expect(cards).toHaveCount(COUNT);
});

test('opening a pipeline wider than the fitted view renders only the cards in view, once each, with edges leading out of view', async ({ page, workDir }) => {
  test.setTimeout(60_000);
  // One long row: even at the minimum zoom (0.1) the fitted view shows about a third of it.
  const WIDE = 40;
  const ids = Array.from({ length: WIDE }, (_, i) => `w${i}`);
  const doc = pipelineFile('Wide', ids.map((id) => ({ id, type: 'data.select_columns' })), ids.slice(1).map((id, i) => `${ids[i]}.table -> ${id}.table`)) as {
    layout: { positions: Record<string, { x: number; y: number }> };
  };
  ids.forEach((id, i) => (doc.layout.positions[id] = { x: i * 700, y: 0 }));
  const file = writePipeline(workDir, 'wide.flow.json', doc);

  await countCardRenders(page);
  await openFile(page, file);
  const cards = page.locator('.react-flow__node-card');
  await expect(page.getByTestId('node-w20')).toBeVisible();
  await page.waitForTimeout(300); // validation settles (renders are counted, not timed)
  const inView = (await cards.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.id!))).sort();
  expect(inView.length, 'cards in the DOM after opening').toBeGreaterThan(3);
  expect(inView.length).toBeLessThan(WIDE / 2);
  // Before, xyflow rendered every card (unmeasured) at the old view, then dropped those out of view.
  const opened = await takeCardRenders(page);
  expect(Object.keys(opened).sort(), 'cards rendered while opening').toEqual(inView);
  for (const id of inView) expect(opened[id], `renders of ${id}`).toBeLessThanOrEqual(3);

  // The edges from the last card in view to the first one out of it are drawn, to its input on the left.
  const last = Math.max(...inView.map((id) => Number(id.slice(1))));
  const out = page.locator(`.react-flow__edge[data-id="${`w${last}.table->w${last + 1}.table`}"] path.react-flow__edge-path`);
  await expect(out).toHaveCount(1);

  // Panned to the right and fitted again (Controls), the view shows the same cards: the fit counts
  // the cards never rendered, not only the measured ones.
  const pane = (await page.locator('.react-flow__pane').boundingBox())!;
  const [x, y] = [pane.x + pane.width / 2, pane.y + 40];
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x - 300, y, { steps: 5 });
  await page.mouse.up();
  await expect.poll(() => cards.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.id!).sort())).not.toEqual(inView);
  await page.locator('.react-flow__controls-fitview').click();
  await expect.poll(() => cards.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.id!).sort())).toEqual(inView);
});

test('zoomed far out, cards leave out the text they hide but keep their handles in place; a node dragged past the edge pans the view on a layer of its own', async ({ page, workDir }) => {
  test.setTimeout(60_000);
  const ids = Array.from({ length: 12 }, (_, i) => `z${i}`);
  const doc = pipelineFile('Zoom', ids.map((id) => ({ id, type: 'data.select_columns' })), ids.slice(1).map((id, i) => `${ids[i]}.table -> ${id}.table`)) as {
    layout: { positions: Record<string, { x: number; y: number }> };
  };
  ids.forEach((id, i) => (doc.layout.positions[id] = { x: i * 700, y: 0 }));
  await openFile(page, writePipeline(workDir, 'zoom.flow.json', doc));
  const canvas = page.getByTestId('canvas');
  await expect(canvas).toHaveAttribute('data-zoom-level', 'farther');
  await expect(page.locator('.react-flow__node-card')).toHaveCount(ids.length);

  // Each handle's place on its card, in flow units, and what the cards show.
  const look = () =>
    page.evaluate(() => {
      const zoom = new DOMMatrixReadOnly(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform).a;
      const cards = [...document.querySelectorAll<HTMLElement>('.react-flow__node-card')];
      const handles = Object.fromEntries(
        cards.flatMap((n) => {
          const r = n.getBoundingClientRect();
          return [...n.querySelectorAll<HTMLElement>('.react-flow__handle')].map((h) => {
            const b = h.getBoundingClientRect();
            return [h.dataset.testid!, [Math.round((b.left - r.left) / zoom), Math.round((b.top - r.top) / zoom)]];
          });
        }),
      );
      return { handles, titles: document.querySelectorAll('.react-flow__node-card .card__title').length, labels: document.querySelectorAll('.react-flow__node-card .card__port').length };
    });
  const far = await look();
  expect(Object.keys(far.handles)).toHaveLength(2 * ids.length);
  expect(far.titles, 'title elements zoomed far out (the card shows data-title, large)').toBe(0);
  expect(far.labels, 'port labels zoomed far out').toBe(0);

  while ((await canvas.getAttribute('data-zoom-level')) !== 'near') await page.locator('.react-flow__controls-zoomin').click();
  await expect(page.locator('.react-flow__node-card .card__title').first()).toBeVisible();
  const near = await look();
  expect(near.labels).toBeGreaterThan(0);
  const shared = Object.keys(near.handles).filter((h) => h in far.handles);
  expect(shared.length).toBeGreaterThan(0);
  for (const h of shared) expect(near.handles[h], `${h}: same place near as far out`).toEqual(far.handles[h]);

  // A drag within the view keeps the viewport as it is; past the pane's left edge xyflow pans the
  // view each frame, and the viewport goes on its own compositor layer until the drop.
  const id = (await page.locator('.react-flow__node-card').first().getAttribute('data-id'))!;
  const box = (await page.locator(`.react-flow__node[data-id="${id}"]`).boundingBox())!;
  const pane = (await page.locator('.react-flow__pane').boundingBox())!;
  const [x, y] = [box.x + box.width / 2, box.y + 10];
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + 20, y + 20, { steps: 4 });
  expect(await canvas.getAttribute('data-auto-pan'), 'auto-pan layer during a drag within the view').toBeNull();
  await page.mouse.move(pane.x + 2, y + 20, { steps: 6 });
  await expect(canvas).toHaveAttribute('data-auto-pan', '');
  expect(await page.locator('.react-flow__viewport').evaluate((e) => getComputedStyle(e).willChange)).toBe('transform');
  await page.mouse.up();
  await expect(canvas).not.toHaveAttribute('data-auto-pan', '');
});

test('Tidy spaces cards that were never on screen by their own height, so tall cards do not overlap', async ({ page, workDir }) => {
  test.setTimeout(60_000);
  // One model feeding 40 Docker exports (5 port rows: 165 px tall), first laid out in one long row:
  // the fitted view shows a few of them, the others are never rendered, so never measured.
  const ids = Array.from({ length: 40 }, (_, i) => `d${i}`);
  const doc = pipelineFile('Tall', [{ id: 'train', type: 'ml.train' }, ...ids.map((id) => ({ id, type: 'export.docker' }))], ids.map((id) => `train.model -> ${id}.model`)) as {
    layout: { positions: Record<string, { x: number; y: number }> };
  };
  ids.forEach((id, i) => (doc.layout.positions[id] = { x: (i + 1) * 700, y: 0 }));
  const file = writePipeline(workDir, 'tall.flow.json', doc);
  await openFile(page, file);
  await expect(page.locator('.react-flow__node-card').first()).toBeVisible();
  expect(await page.locator('.react-flow__node-card').count(), 'cards rendered before Tidy').toBeLessThan(ids.length / 2);

  await page.getByTestId('btn-layout').click();
  await expect(page.getByTestId('btn-undo')).toHaveAttribute('title', /Auto-layout/);
  await page.getByTestId('btn-save').click();
  const saved = async () => (JSON.parse(readFileSync(file, 'utf8')) as typeof doc).layout.positions;
  await expect.poll(async () => (await saved()).d0.x).not.toBe(700);
  // ELK stacks the exports in one layer; each one's top is at least a card's height below the previous one's.
  const positions = await saved();
  const ys = ids.map((id) => positions[id].y).sort((a, b) => a - b);
  const gaps = ys.slice(1).map((y, i) => y - ys[i]);
  expect(Math.min(...gaps), 'closest stacked cards, top to top').toBeGreaterThanOrEqual(165);
});

test('the overview map follows a pan by moving its view box alone; a press on it centres the view there, and its wheel zooms', async ({ page, workDir }) => {
  test.setTimeout(60_000);
  const ids = Array.from({ length: COUNT }, (_, i) => `m${i}`);
  const doc = pipelineFile('Map', ids.map((id) => ({ id, type: 'data.select_columns' })), ids.slice(1).map((id, i) => `${ids[i]}.table -> ${id}.table`)) as {
    layout: { positions: Record<string, { x: number; y: number }> };
  };
  ids.forEach((id, i) => (doc.layout.positions[id] = { x: (i % PER_ROW) * 280, y: Math.floor(i / PER_ROW) * 170 }));
  await openFile(page, writePipeline(workDir, 'map.flow.json', doc));
  await expect(page.locator('.react-flow__node-card')).toHaveCount(COUNT);
  const map = page.getByTestId('overview-map');
  await expect(map.locator('path')).not.toHaveCount(0);
  await page.waitForTimeout(300); // the fit settles (positions are compared, not timed)

  // Where the view box is, in map pixels, and where the viewport says it should be.
  const boxAndView = () =>
    page.evaluate(() => {
      const frame = document.querySelector('[data-testid="overview-map"]')!;
      const [vx, vy, vw] = frame.querySelector('svg')!.getAttribute('viewBox')!.split(' ').map(Number);
      const scale = vw / frame.clientWidth;
      const m = new DOMMatrixReadOnly(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform);
      const pane = document.querySelector('.react-flow')!.getBoundingClientRect();
      const f = frame.getBoundingClientRect();
      const b = document.querySelector('[data-testid="overview-map-view"]')!.getBoundingClientRect();
      const r = (n: number) => Math.round(n);
      return {
        box: [r(b.left - f.left), r(b.top - f.top), r(b.width), r(b.height)],
        view: [r((-m.e / m.a - vx) / scale), r((-m.f / m.a - vy) / scale), r(pane.width / m.a / scale), r(pane.height / m.a / scale)],
        zoom: m.a,
      };
    });
  // Within a pixel (rounding).
  const expectBoxOnView = ({ box, view }: { box: number[]; view: number[] }, what: string) =>
    box.forEach((v, i) => expect(Math.abs(v - view[i]), `${what}: box ${box} against the view ${view}`).toBeLessThanOrEqual(1));
  const fitted = await boxAndView();
  expectBoxOnView(fitted, 'fitted');

  // A pan repaints nothing in the map: its drawing is not touched, only the box moves.
  await page.evaluate(() => {
    const w = window as unknown as { mapMutations: number };
    w.mapMutations = 0;
    new MutationObserver((records) => (w.mapMutations += records.length)).observe(document.querySelector('[data-testid="overview-map"] svg')!, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  const pane = (await page.locator('.react-flow__pane').boundingBox())!;
  const [x, y] = [pane.x + pane.width / 2, pane.y + 90];
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x - 150, y + 100, { steps: 10 });
  await page.mouse.up();
  const panned = await boxAndView();
  expectBoxOnView(panned, 'panned');
  expect(panned.box[0], 'the view went right, so did its box').toBeGreaterThan(fitted.box[0]);
  expect(await page.evaluate(() => (window as unknown as { mapMutations: number }).mapMutations), 'changes to the map drawing during the pan').toBe(0);

  // Pressed at a point of the map, the view is centred there.
  const m = (await map.boundingBox())!;
  await page.mouse.click(m.x + 50, m.y + 70);
  const centred = await boxAndView();
  expectBoxOnView(centred, 'centred');
  expect(Math.abs(centred.box[0] + centred.box[2] / 2 - 50)).toBeLessThanOrEqual(1);
  expect(Math.abs(centred.box[1] + centred.box[3] / 2 - 70)).toBeLessThanOrEqual(1);

  // The wheel over the map zooms the view in, and the box shrinks with it.
  await page.mouse.move(m.x + 50, m.y + 70);
  await page.mouse.wheel(0, -300);
  await expect.poll(async () => (await boxAndView()).zoom).toBeGreaterThan(centred.zoom);
  const zoomed = await boxAndView();
  expectBoxOnView(zoomed, 'zoomed');
  expect(zoomed.box[2]).toBeLessThan(centred.box[2]);
});

test('a big pipeline zoomed far out draws its edges as one picture that a pan leaves untouched and a drag redraws; zoomed in, they are edges again', async ({ page, workDir }) => {
  test.setTimeout(90_000);
  // FLAT_EDGES_FROM (FlatEdges.tsx) edges: a chain of 301 nodes in rows of 20.
  const ids = Array.from({ length: 301 }, (_, i) => `f${i}`);
  const doc = pipelineFile('Flat', ids.map((id) => ({ id, type: 'data.select_columns' })), ids.slice(1).map((id, i) => `${ids[i]}.table -> ${id}.table`)) as {
    layout: { positions: Record<string, { x: number; y: number }> };
  };
  ids.forEach((id, i) => (doc.layout.positions[id] = { x: (i % 20) * 280, y: Math.floor(i / 20) * 170 }));
  await openFile(page, writePipeline(workDir, 'flat.flow.json', doc));
  const canvas = page.getByTestId('canvas');
  await expect(canvas).toHaveAttribute('data-zoom-level', 'farther');
  const picture = page.getByTestId('flat-edges');
  // Every edge is a subpath of the picture (one path per port colour), none is an xyflow edge.
  const subpaths = () => picture.locator('path').evaluateAll((ps) => ps.reduce((n, p) => n + (p.getAttribute('d')!.match(/M/g)?.length ?? 0), 0));
  await expect.poll(subpaths, { message: 'edges in the picture' }).toBe(300);
  await expect(page.locator('.react-flow__edge')).toHaveCount(0);
  await screen(page, 'flat-edges-fitted');

  // A pan moves the picture with the viewport: nothing in it is redrawn.
  await page.evaluate(() => {
    const w = window as unknown as { edgeMutations: number };
    w.edgeMutations = 0;
    new MutationObserver((records) => (w.edgeMutations += records.length)).observe(document.querySelector('[data-testid="flat-edges"]')!, { subtree: true, childList: true, attributes: true });
  });
  const pane = (await page.locator('.react-flow__pane').boundingBox())!;
  const [x, y] = await page.evaluate(([x0, y0, w, h]) => {
    for (let y = y0 + 5; y < y0 + h; y += 7) for (let x = x0 + 5; x < x0 + w; x += 7) if (document.elementFromPoint(x, y)?.classList.contains('react-flow__pane')) return [x, y];
    throw new Error('no empty spot on the pane');
  }, [pane.x, pane.y, pane.width, pane.height]);
  const viewport = () => page.locator('.react-flow__viewport').getAttribute('style');
  const before = await viewport();
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + 60, y + 40, { steps: 8 });
  await page.mouse.up();
  expect(await viewport(), 'the view moved').not.toEqual(before);
  expect(await page.evaluate(() => (window as unknown as { edgeMutations: number }).edgeMutations), 'changes to the picture during the pan').toBe(0);

  // Dragging a card redraws its edges where it goes. At this zoom a card is drawn in the cards'
  // picture (FarCards.tsx) until the pointer is over it, where xyflow renders it.
  const f0 = await page.evaluate(() => {
    const m = new DOMMatrixReadOnly(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform);
    const pane = document.querySelector('.react-flow')!.getBoundingClientRect();
    return { x: pane.left + m.e + 110 * m.a, y: pane.top + m.f + 40 * m.a };
  });
  await page.mouse.move(f0.x, f0.y);
  const card = (await page.getByTestId('node-f0').boundingBox())!;
  await page.mouse.move(card.x + card.width / 2, card.y + card.height / 2);
  await page.mouse.down();
  await page.mouse.move(card.x + card.width / 2 + 40, card.y + card.height / 2 + 30, { steps: 5 });
  await page.mouse.up();
  await expect(page.getByTestId('btn-undo')).toHaveAttribute('title', /Move f0/);
  expect(await page.evaluate(() => (window as unknown as { edgeMutations: number }).edgeMutations), 'the picture after the drag').toBeGreaterThan(0);
  expect(await subpaths()).toBe(300);

  // Zoomed in a step, the edges are xyflow's again (clickable, selectable); the picture is gone.
  while ((await canvas.getAttribute('data-zoom-level')) === 'farther') await page.getByRole('button', { name: 'Zoom In' }).click();
  await expect(picture).toHaveCount(0);
  await expect.poll(() => page.locator('.react-flow__edge').count(), { message: 'xyflow edges, zoomed in' }).toBeGreaterThan(0);
});
