/**
 * The canvas as an editor: dropping a node onto an edge splices it in, connecting into a taken
 * input replaces the edge and says so, the panels around it resize and keep their size, and a
 * zoomed-out card shows its title large instead of unreadable small print.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures.ts';
import { connect, dragNode, newPipeline, openFile, pipelineFile, screen, writePipeline } from './support/studio.ts';

const edge = (page: Page, from: string, to: string) => page.getByRole('img', { name: `Edge from ${from} to ${to}` }).or(page.getByRole('group', { name: `Edge from ${from} to ${to}` }));
const edges = (page: Page) => page.locator('.react-flow__edge');
const TEMPLATES = join(process.cwd(), 'templates');

/** Where an edge's middle is, relative to the canvas's top-left corner. */
async function edgeMiddle(page: Page, from: string, to: string): Promise<{ x: number; y: number }> {
  const box = (await edge(page, from, to).locator('path').first().boundingBox())!;
  const canvas = (await page.getByTestId('canvas').boundingBox())!;
  return { x: box.x + box.width / 2 - canvas.x, y: box.y + box.height / 2 - canvas.y };
}

test('a node dropped onto an edge is spliced in, and a connection into a taken input replaces its edge and says so, each one undo step', async ({ page, workDir }) => {
  test.setTimeout(90_000);
  const file = writePipeline(workDir, 'splice.flow.json', pipelineFile('Splice', [
    { id: 'load', type: 'data.load_csv', params: { path: 'datasets/penguins_sex.train.csv' } },
    { id: 'train', type: 'ml.train', params: { target: 'target' } },
  ], ['load.table -> train.table']));
  // Far enough apart that a card fits between them.
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  doc.layout.positions.train = { x: 600, y: 0 };
  writeFileSync(file, JSON.stringify(doc));
  await openFile(page, file);
  await expect(edge(page, 'load.table', 'train.table')).toHaveCount(1);

  // From the palette onto the edge.
  const middle = await edgeMiddle(page, 'load.table', 'train.table');
  await dragNode(page, 'prep.scale', middle.x, middle.y);
  await expect(edge(page, 'load.table', 'scale.table')).toHaveCount(1);
  await expect(edge(page, 'scale.table', 'train.table')).toHaveCount(1);
  await expect(edges(page)).toHaveCount(2);
  await expect(page.getByTestId('toast').filter({ hasText: 'Inserted scale between load and train' })).toBeVisible();
  await page.getByTestId('btn-undo').click();
  await expect(page.getByTestId('node-scale')).toHaveCount(0);
  await expect(edge(page, 'load.table', 'train.table')).toHaveCount(1);

  // A node already on the canvas, with no edges, dragged onto the edge.
  await dragNode(page, 'prep.impute', middle.x, middle.y + 220);
  await expect(page.getByTestId('node-impute')).toBeVisible();
  const card = (await page.getByTestId('node-impute').boundingBox())!;
  const canvas = (await page.getByTestId('canvas').boundingBox())!;
  await page.mouse.move(card.x + card.width / 2, card.y + 12);
  await page.mouse.down();
  await page.mouse.move(canvas.x + middle.x, canvas.y + middle.y - card.height / 2 + 12, { steps: 12 });
  await page.mouse.up();
  await expect(edge(page, 'load.table', 'impute.table')).toHaveCount(1);
  await expect(edge(page, 'impute.table', 'train.table')).toHaveCount(1);
  await page.keyboard.press('Control+Z');
  await expect(edge(page, 'load.table', 'train.table')).toHaveCount(1);
  await expect(page.getByTestId('node-impute')).toBeVisible();

  // Into an input that takes one edge and has one: replaced, said so, undoable.
  await page.keyboard.press('Control+Y');
  await expect(edge(page, 'impute.table', 'train.table')).toHaveCount(1);
  await connect(page, 'handle-load-out-table', 'handle-train-in-table');
  await expect(edge(page, 'load.table', 'train.table')).toHaveCount(1);
  await expect(edge(page, 'impute.table', 'train.table')).toHaveCount(0);
  await expect(page.getByTestId('toast').filter({ hasText: 'impute.table was replaced by load.table' })).toBeVisible();
  await screen(page, 'edge-replaced');
  await page.keyboard.press('Control+Z');
  await expect(edge(page, 'impute.table', 'train.table')).toHaveCount(1);
  await expect(edge(page, 'load.table', 'train.table')).toHaveCount(0);
});

test('the bottom and side panels resize by their borders and keep their size after a reload', async ({ page }) => {
  await newPipeline(page);
  const dock = page.locator('.dock');
  const inspector = page.getByTestId('inspector');
  const palette = page.getByTestId('palette');
  const before = { dock: (await dock.boundingBox())!.height, inspector: (await inspector.boundingBox())!.width, palette: (await palette.boundingBox())!.width };

  const drag = async (testId: string, dx: number, dy: number) => {
    const box = (await page.getByTestId(testId).boundingBox())!;
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + dx, y + dy, { steps: 6 });
    await page.mouse.up();
  };
  await drag('splitter-dock', 0, -120);
  await drag('splitter-inspector', -100, 0);
  await drag('splitter-palette', 60, 0);
  const after = { dock: (await dock.boundingBox())!.height, inspector: (await inspector.boundingBox())!.width, palette: (await palette.boundingBox())!.width };
  expect(after.dock - before.dock).toBeCloseTo(120, -1);
  expect(after.inspector - before.inspector).toBeCloseTo(100, -1);
  expect(after.palette - before.palette).toBeCloseTo(60, -1);

  await page.reload();
  await newPipeline(page);
  expect((await dock.boundingBox())!.height).toBeCloseTo(after.dock, 0);
  expect((await inspector.boundingBox())!.width).toBeCloseTo(after.inspector, 0);
  expect((await palette.boundingBox())!.width).toBeCloseTo(after.palette, 0);
  // The keyboard moves a focused border too.
  await page.getByTestId('splitter-dock').focus();
  await page.keyboard.press('ArrowUp');
  await expect.poll(async () => (await dock.boundingBox())!.height).toBeCloseTo(after.dock + 16, 0);
});

test('zoomed out to fit the Seattle example, every card shows its title large enough to read', async ({ page }) => {
  await page.getByTestId('template-seattle-rain').click();
  await expect(page.getByTestId('node-evaluate')).toBeVisible();
  await page.getByTestId('canvas').click({ position: { x: 10, y: 10 } });
  await page.keyboard.press('f');
  const canvas = page.getByTestId('canvas');
  await expect(canvas).not.toHaveAttribute('data-zoom-level', 'near');
  // On-screen size of each card's title: its font size in flow units times the zoom.
  const sizes = await page.evaluate(() => {
    const zoom = Number(/scale\(([\d.]+)\)/.exec((document.querySelector('.react-flow__viewport') as HTMLElement).style.transform)![1]);
    return [...document.querySelectorAll('.card')].map((c) => ({
      title: (c as HTMLElement).dataset.title,
      shown: getComputedStyle(c, '::after').content,
      px: parseFloat(getComputedStyle(c, '::after').fontSize) * zoom,
    }));
  });
  expect(sizes).toHaveLength(10);
  for (const s of sizes) {
    expect(s.shown, s.title).toBe(`"${s.title}"`);
    expect(s.px, s.title).toBeGreaterThanOrEqual(10);
  }
  await screen(page, 'seattle-fit-to-view');
  // Zoomed in again, the full card is back (on the cards still in view: the others leave the DOM).
  for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Zoom In' }).click();
  await expect(canvas).toHaveAttribute('data-zoom-level', 'near');
  await expect(page.locator('[data-testid^="node-summary-"]').first()).toBeVisible();
});

/** Each edge's path sampled along its length: points inside a card other than its two ends. */
async function edgesThroughCards(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const cards = [...document.querySelectorAll<HTMLElement>('.react-flow__node-card')].map((el) => ({ id: el.dataset.id ?? '', r: el.getBoundingClientRect() }));
    const inside = (x: number, y: number, r: DOMRect) => x > r.left + 2 && x < r.right - 2 && y > r.top + 2 && y < r.bottom - 2;
    const nearest = (x: number, y: number) => cards.reduce((best, c) => {
      const d = Math.hypot(Math.max(c.r.left - x, 0, x - c.r.right), Math.max(c.r.top - y, 0, y - c.r.bottom));
      return d < best.d ? { id: c.id, d } : best;
    }, { id: '', d: Infinity }).id;
    const bad: string[] = [];
    for (const path of document.querySelectorAll<SVGPathElement>('.react-flow__edge path.react-flow__edge-path')) {
      const m = path.getScreenCTM();
      if (!m) continue;
      const len = path.getTotalLength();
      const pts = Array.from({ length: 61 }, (_, i) => path.getPointAtLength((len * i) / 60)).map((p) => ({ x: m.a * p.x + m.c * p.y + m.e, y: m.b * p.x + m.d * p.y + m.f }));
      const ends = new Set([nearest(pts[0].x, pts[0].y), nearest(pts[60].x, pts[60].y)]);
      for (const p of pts) for (const c of cards) if (!ends.has(c.id) && inside(p.x, p.y, c.r)) bad.push(`${[...ends].join('→')} behind ${c.id}`);
    }
    return [...new Set(bad)];
  });
}

/** The `d` of the edge from `from` to `to`: a routed edge's rounded corners are quadratic (Q), xyflow's own curve cubic (C). */
const edgePath = (page: Page, from: string, to: string) => edge(page, from, to).locator('path.react-flow__edge-path').getAttribute('d');

test('Tidy lays a branching pipeline out left to right with no edge behind a card, kept until a node moves, through undo and reopening', async ({ page, workDir }) => {
  test.setTimeout(90_000);
  const file = join(workDir, 'fraud.flow.json');
  copyFileSync(join(TEMPLATES, 'fraud-detection.flow.json'), file);
  await openFile(page, file);
  await expect(page.locator('.react-flow__node-card')).toHaveCount(9);
  await page.getByTestId('btn-layout').click();
  await expect(page.getByTestId('btn-undo')).toHaveAttribute('title', /Auto-layout/);
  await expect.poll(() => edgesThroughCards(page), { timeout: 10_000 }).toEqual([]);
  // Left to right: every edge's source card starts left of its target card.
  const xs = await page.locator('.react-flow__node-card').evaluateAll((els) => Object.fromEntries(els.map((el) => [(el as HTMLElement).dataset.id, el.getBoundingClientRect().left])));
  for (const [from, to] of [['load', 'drop_id'], ['split', 'train'], ['train', 'evaluate'], ['split', 'unlabelled'], ['isolation_forest', 'anomaly_scores']]) expect(xs[from], `${from} left of ${to}`).toBeLessThan(xs[to]);
  // split → evaluate skips the train layer: drawn along its own lane, with rounded corners.
  expect(await edgePath(page, 'split.test', 'evaluate.table')).toContain('Q');
  await screen(page, 'tidy-elk-branches');

  // Moving a card: its edges fall back to the ordinary curve; the others keep their route.
  const card = (await page.getByTestId('node-evaluate').boundingBox())!;
  await page.mouse.move(card.x + card.width / 2, card.y + 12);
  await page.mouse.down();
  await page.mouse.move(card.x + card.width / 2, card.y + 152, { steps: 6 });
  await page.mouse.up();
  await expect(page.getByTestId('btn-undo')).toHaveAttribute('title', /Move evaluate/);
  await expect.poll(() => edgePath(page, 'split.test', 'evaluate.table')).toContain('C');
  expect(await edgePath(page, 'split.test', 'anomaly_scores.table')).toContain('Q');
  await screen(page, 'tidy-elk-moved');
  // Undo the move: the route is back; undo Tidy too, and redo it: routes follow the positions.
  await page.getByTestId('btn-undo').click();
  await expect.poll(() => edgePath(page, 'split.test', 'evaluate.table')).toContain('Q');
  await page.getByTestId('btn-undo').click();
  await expect.poll(() => edgePath(page, 'split.test', 'evaluate.table')).toContain('C');
  await page.getByTestId('btn-redo').click();
  await expect.poll(() => edgePath(page, 'split.test', 'evaluate.table')).toContain('Q');

  // Saved in the file's layout, and drawn again on reopening.
  await page.getByTestId('btn-save').click();
  await expect.poll(() => Object.keys(JSON.parse(readFileSync(file, 'utf8')).layout.routes ?? {}).length).toBe(10);
  await page.reload();
  await openFile(page, file);
  await expect(page.locator('.react-flow__node-card')).toHaveCount(9);
  await expect.poll(() => edgePath(page, 'split.test', 'evaluate.table')).toContain('Q');
  expect(await edgesThroughCards(page)).toEqual([]);
});
