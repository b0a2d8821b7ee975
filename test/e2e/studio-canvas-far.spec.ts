/**
 * A big pipeline zoomed far out is one picture of its cards (FarCards.tsx): xyflow renders only the
 * card under the pointer and the selected or dragged ones, so panning and auto-panning mount no
 * card, yet every card still reacts as a card: hovered, it is a real card that a click selects, a
 * drag moves (with its edges) and a selection box catches, building only the cards it selects.
 * Counts elements and mutations, never time.
 */
import { expect, test } from './support/fixtures.ts';
import { openFile, pipelineFile, screen, tabIntoFarCanvas, writePipeline, zoomInToNearestFarther } from './support/studio.ts';
import type { Page } from '@playwright/test';

/** FAR_CARDS_FROM (FarCards.tsx) cards, chained, in rows of 20. */
const COUNT = 300;

/** Where a card's centre is on screen, from its flow position and the viewport's transform. */
const cardCentre = (page: Page, x: number, y: number) =>
  page.evaluate(([x, y]) => {
    const m = new DOMMatrixReadOnly(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform);
    const pane = document.querySelector('.react-flow')!.getBoundingClientRect();
    return { x: pane.left + m.e + (x + 110) * m.a, y: pane.top + m.f + (y + 40) * m.a };
  }, [x, y]);

test('zoomed far out, a big pipeline is one picture of its cards; the card under the pointer is a real card to select, drag and box-select, and a pan or auto-pan mounts no card', async ({ page, workDir }) => {
  test.setTimeout(90_000);
  const ids = Array.from({ length: COUNT }, (_, i) => `c${i}`);
  const doc = pipelineFile('Far', ids.map((id) => ({ id, type: 'data.select_columns' })), ids.slice(1).map((id, i) => `${ids[i]}.table -> ${id}.table`)) as {
    layout: { positions: Record<string, { x: number; y: number }> };
  };
  const at = (i: number) => ({ x: (i % 20) * 280, y: Math.floor(i / 20) * 170 });
  ids.forEach((id, i) => (doc.layout.positions[id] = at(i)));
  await openFile(page, writePipeline(workDir, 'far.flow.json', doc));
  const canvas = page.getByTestId('canvas');
  await expect(canvas).toHaveAttribute('data-zoom-level', 'farther');
  const picture = page.getByTestId('far-cards');
  await expect(picture).toHaveAttribute('data-cards', String(COUNT));
  await expect(picture.locator('text')).toHaveCount(COUNT);
  await expect(picture.locator('text[data-id="c21"]')).toHaveText(/^Select C/); // cut to the card's width, as the light card clips it
  await expect(page.locator('.react-flow__node-card'), 'cards xyflow renders while none is touched').toHaveCount(0);
  // c0's input is not connected: the one problem dot in the picture.
  await expect(picture.locator('.far-cards__problem')).toHaveAttribute('d', /^M[^M]*$/);
  // The cards are drawn over the edges' picture.
  expect(await page.evaluate(() => { const p = document.querySelector('.react-flow__viewport-portal')!; return [...p.children].map((c) => c.getAttribute('data-testid')); })).toEqual(['flat-edges', 'far-cards']);
  await screen(page, 'far-cards-fitted');

  // The nearest the picture comes: zoomed in to the last step before 'far' (×1.2 a click).
  await zoomInToNearestFarther(page);
  await expect(canvas).toHaveAttribute('data-zoom-level', 'farther');
  await page.waitForTimeout(300); // the zoom button animates (the screenshot is looked at, not compared)
  await screen(page, 'far-cards-nearest');
  await page.getByTestId('btn-theme').click();
  await screen(page, 'far-cards-nearest-dark');
  await page.getByTestId('btn-theme').click();
  await page.locator('.react-flow__controls-fitview').click();
  await page.waitForTimeout(400);

  // Hovered, c21 is a real card over its picture; a click selects it.
  const c21 = await cardCentre(page, at(21).x, at(21).y);
  await page.mouse.move(c21.x, c21.y);
  await expect(page.getByTestId('node-c21')).toBeVisible();
  await expect(page.locator('.react-flow__node-card')).toHaveCount(1);
  await page.mouse.click(c21.x, c21.y);
  await expect(page.getByTestId('node-c21')).toHaveClass(/card--selected/);
  await expect(page.getByTestId('node-id')).toHaveValue('c21');
  await expect(picture, 'the selected card leaves the picture').toHaveAttribute('data-cards', String(COUNT - 1));

  // Dragged, it moves, and its edges with it.
  const edges = () => page.getByTestId('flat-edges').locator('path').evaluateAll((ps) => ps.map((p) => p.getAttribute('d')).join(' '));
  const edgesBefore = await edges();
  await page.mouse.move(c21.x, c21.y);
  await page.mouse.down();
  await page.mouse.move(c21.x + 40, c21.y + 30, { steps: 5 });
  await page.mouse.up();
  await expect(page.getByTestId('btn-undo')).toHaveAttribute('title', /Move c21/);
  expect(await edges(), 'the edge picture after the drag').not.toEqual(edgesBefore);

  // Hovering another card hands it to xyflow and back: the selected one stays.
  const c45 = await cardCentre(page, at(45).x, at(45).y);
  await page.mouse.move(c45.x, c45.y);
  await expect(page.getByTestId('node-c45')).toBeVisible();
  const pane = (await page.locator('.react-flow__pane').boundingBox())!;
  await page.mouse.move(pane.x + 5, pane.y + 5);
  await expect(page.getByTestId('node-c45')).toHaveCount(0);
  await expect(page.locator('.react-flow__node-card')).toHaveCount(1);

  // A pan from an empty spot mounts no card and leaves the picture as it is.
  await page.evaluate(() => {
    const w = window as unknown as { mounts: number; redraws: number };
    w.mounts = 0;
    w.redraws = 0;
    new MutationObserver((rs) => (w.mounts += rs.reduce((n, r) => n + r.addedNodes.length, 0))).observe(document.querySelector('.react-flow__nodes')!, { childList: true });
    new MutationObserver((rs) => (w.redraws += rs.length)).observe(document.querySelector('[data-testid="far-cards"]')!, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  const counts = () => page.evaluate(() => ({ mounts: (window as unknown as { mounts: number }).mounts, redraws: (window as unknown as { redraws: number }).redraws }));
  const viewport = () => page.locator('.react-flow__viewport').getAttribute('style');
  const beforePan = await viewport();
  // The first spot of the pane, from the top left, where neither a button nor a drawn card is.
  const [px, py] = await page.evaluate(([x0, y0, w, h]) => {
    for (let y = y0 + 60; y < y0 + h; y += 7) for (let x = x0 + 5; x < x0 + w; x += 7) if (document.elementFromPoint(x, y)?.classList.contains('react-flow__pane')) return [x, y];
    throw new Error('no empty spot on the pane');
  }, [pane.x, pane.y, pane.width, pane.height]);
  await page.mouse.move(px, py);
  await page.mouse.down();
  await page.mouse.move(px + 100, py + 60, { steps: 10 });
  await page.mouse.up();
  expect(await viewport(), 'the view moved').not.toEqual(beforePan);
  expect(await counts(), 'cards mounted and picture changes during a pan').toEqual({ mounts: 0, redraws: 0 });

  // Dragged past the pane's edge, the selected card auto-pans the view: no other card mounts.
  // (Counted from the press: where the pan left the pointer, the card under it is mounted, as it should.)
  const c21Now = (await page.getByTestId('node-c21').boundingBox())!;
  await page.mouse.move(c21Now.x + c21Now.width / 2, c21Now.y + c21Now.height / 2);
  await page.mouse.down();
  await page.evaluate(() => {
    const w = window as unknown as { mounts: number; edgePaths: Set<Element> };
    w.mounts = 0;
    // Which edge paths the auto-pan rewrites: only those of the dragged card (data-moving), never the big ones.
    w.edgePaths = new Set();
    new MutationObserver((rs) => rs.forEach((r) => w.edgePaths.add(r.target as Element))).observe(document.querySelector('[data-testid="flat-edges"]')!, { subtree: true, attributes: true, attributeFilter: ['d'] });
  });
  const beforeAutoPan = await viewport();
  await page.mouse.move(pane.x + 2, c21Now.y, { steps: 5 });
  await expect.poll(viewport, { message: 'the view auto-pans' }).not.toEqual(beforeAutoPan);
  await page.mouse.move(pane.x + 3, c21Now.y + 2);
  await page.mouse.up();
  expect((await counts()).mounts, 'cards mounted during the auto-pan').toBe(0);
  const rewritten = await page.evaluate(() => [...(window as unknown as { edgePaths: Set<Element> }).edgePaths].map((p) => p.hasAttribute('data-moving')));
  expect(rewritten.length, 'edge paths redrawn as the card moved').toBeGreaterThan(0);
  expect(rewritten.every(Boolean), 'only the dragged card\'s edge paths are redrawn').toBe(true);

  // A selection box (Shift + drag) catches the cards drawn in the picture, mounting only those it selects.
  await page.locator('.react-flow__controls-fitview').click();
  await page.waitForTimeout(400);
  await page.evaluate(() => {
    const w = window as unknown as { mounts: number };
    w.mounts = 0;
  });
  // From 30 flow units above and left of c0 to 30 below and right of c42 (cards 220 × 85 here).
  const from = await cardCentre(page, at(0).x - 30 - 110, at(0).y - 30 - 40);
  const to = await cardCentre(page, at(42).x + 250 - 110, at(42).y + 135 - 40);
  await page.keyboard.down('Shift');
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 8 });
  await expect(page.locator('.react-flow__selection'), 'the box is drawn').toBeVisible();
  await page.mouse.up();
  await page.keyboard.up('Shift');
  // Rows 0–2, columns 0–2, less c21, dragged away to the left.
  await expect(page.locator('.inspector__title')).toHaveText('8 nodes selected');
  const selected = await page.locator('.react-flow__node-card .card--selected').evaluateAll((cs) => cs.map((c) => c.closest('.react-flow__node')!.getAttribute('data-id')).sort());
  expect(selected).toEqual(['c0', 'c1', 'c2', 'c20', 'c22', 'c40', 'c41', 'c42'].sort());
  // Only the 8 it selects were built, and the card under the pointer where the box began: never the ~300 in view.
  expect((await counts()).mounts, 'cards mounted while the box was drawn').toBeLessThanOrEqual(9);
  expect(await page.locator('.react-flow__node-card').count()).toBeLessThanOrEqual(9);
  await screen(page, 'far-cards-box');

  // Held at the pane's border, the box auto-pans the view and grows with it, as xyflow's box does.
  // Zoomed in, with c0 brought to the top left (the keyboard's focus does that), a box from above
  // left of c0 held at the right border along row 0 reaches c19, off-screen when it started.
  await zoomInToNearestFarther(page);
  await tabIntoFarCanvas(page);
  await expect(page.getByTestId('far-focus')).toHaveAttribute('data-id', 'c0');
  await page.getByTestId('far-keys').blur();
  const paneNow = (await page.locator('.react-flow__pane').boundingBox())!;
  const c19 = await cardCentre(page, at(19).x, at(19).y);
  expect(c19.x, 'c19 starts off-screen').toBeGreaterThan(paneNow.x + paneNow.width);
  await page.evaluate(() => void ((window as unknown as { mounts: number }).mounts = 0));
  const corner = await cardCentre(page, at(0).x - 30 - 110, at(0).y - 30 - 40);
  const rowEnd = await cardCentre(page, at(0).x - 110, at(0).y + 115 - 40);
  await page.keyboard.down('Shift');
  await page.mouse.move(corner.x, corner.y);
  await page.mouse.down();
  await page.mouse.move(paneNow.x + paneNow.width - 3, rowEnd.y, { steps: 6 });
  await expect(page.getByTestId('node-c19'), 'the view pans until c19 is inside the box').toHaveClass(/card--selected/, { timeout: 30_000 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  // The whole of row 0, c0 (now panned out of view, so not in the page) to c19, and nothing else.
  await expect(page.locator('.inspector__title')).toHaveText('20 nodes selected');
  const shown = await page.locator('.react-flow__node-card .card--selected').evaluateAll((cs) => cs.map((c) => c.closest('.react-flow__node')!.getAttribute('data-id')));
  expect(shown.every((id) => Number(id!.slice(1)) < 20), 'row 0 only').toBe(true);
  expect((await counts()).mounts, 'cards mounted while the box auto-panned: row 0 and the one under the pointer at most').toBeLessThanOrEqual(21);
});
