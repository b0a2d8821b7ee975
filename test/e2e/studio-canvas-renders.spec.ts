/**
 * The canvas stays fast on big pipelines because a gesture re-renders only what it changes:
 * dragging one node re-renders that card (a bounded number of times), never the others, panning
 * re-renders none, and only the cards in view are in the DOM. Counts renders (React's commits,
 * read through a DevTools-style hook) and elements, never time.
 */
import { expect, test } from './support/fixtures.ts';
import { openFile, pipelineFile, writePipeline } from './support/studio.ts';
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
