/**
 * A big pipeline zoomed far out is one picture of its cards (FarCards.tsx), with almost no card
 * rendered, yet the keyboard still reaches every card (far-keys.ts): Tab lands on a card and moves
 * in reading order, the arrow keys go to the neighbour that way, the focused card is ringed in the
 * picture, brought into view and announced, Enter selects it and Delete removes it. (The Shift-drag
 * box there: studio-canvas-far.spec.ts.) Counts elements, never time.
 */
import { expect, test } from './support/fixtures.ts';
import { openFile, pipelineFile, screen, tabIntoFarCanvas, writePipeline, zoomInToNearestFarther } from './support/studio.ts';
import type { Page } from '@playwright/test';

/** Past FAR_CARDS_FROM (FarCards.tsx), so one deleted still leaves the picture; chained, in rows of 20, titled by their number. */
const COUNT = 320;
const at = (i: number) => ({ x: (i % 20) * 280, y: Math.floor(i / 20) * 170 });

/** Where a flow point is on screen, from the viewport's transform. */
const onScreen = (page: Page, x: number, y: number) =>
  page.evaluate(([x, y]) => {
    const m = new DOMMatrixReadOnly(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform);
    const pane = document.querySelector('.react-flow')!.getBoundingClientRect();
    return { x: pane.left + m.e + x * m.a, y: pane.top + m.f + y * m.a };
  }, [x, y]);

/** Whether card i (220 × 85 here) lies wholly inside the pane. */
const inView = async (page: Page, i: number) => {
  const a = await onScreen(page, at(i).x, at(i).y);
  const b = await onScreen(page, at(i).x + 220, at(i).y + 85);
  const pane = (await page.locator('.react-flow__pane').boundingBox())!;
  return a.x >= pane.x && a.y >= pane.y && b.x <= pane.x + pane.width && b.y <= pane.y + pane.height;
};

/** Opens COUNT chained cards in rows of 20, titled "Card i", zoomed far out (the picture). */
async function openFarPipeline(page: Page, workDir: string): Promise<void> {
  const ids = Array.from({ length: COUNT }, (_, i) => `c${i}`);
  const doc = pipelineFile('Far keys', ids.map((id) => ({ id, type: 'data.select_columns' })), ids.slice(1).map((id, i) => `${ids[i]}.table -> ${id}.table`)) as {
    nodes: { id: string; title?: string }[];
    layout: { positions: Record<string, { x: number; y: number }> };
  };
  doc.nodes.forEach((n, i) => (n.title = `Card ${i}`));
  ids.forEach((id, i) => (doc.layout.positions[id] = at(i)));
  await openFile(page, writePipeline(workDir, 'far-keys.flow.json', doc));
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-zoom-level', 'farther');
  await expect(page.getByTestId('far-cards')).toHaveAttribute('data-cards', String(COUNT));
}

test('zoomed far out, Tab reaches a card, the arrows move the focus ring to the neighbour, Enter selects it, Delete removes it, no card is mounted for it, and zooming across the step keeps the focused card', async ({ page, workDir }) => {
  test.setTimeout(90_000);
  await openFarPipeline(page, workDir);
  const canvas = page.getByTestId('canvas');

  // Zoomed in as near as the picture comes, then panned so the first card is off-screen.
  await zoomInToNearestFarther(page);
  await expect(canvas).toHaveAttribute('data-zoom-level', 'farther');
  const pane = (await page.locator('.react-flow__pane').boundingBox())!;
  const c0 = await onScreen(page, at(0).x, at(0).y);
  // From a spot left of the picture if there is one, else its middle: leftwards and up by the card's offset and more.
  const grab = { x: pane.x + pane.width / 2, y: pane.y + pane.height / 2 };
  await page.mouse.move(grab.x, grab.y);
  await page.mouse.down();
  await page.mouse.move(grab.x - Math.max(0, c0.x - pane.x) - 200, grab.y - Math.max(0, c0.y - pane.y) - 150, { steps: 6 });
  await page.mouse.up();
  await expect.poll(() => inView(page, 0), { message: 'c0 is off-screen before the keyboard comes in' }).toBe(false);

  // Tab from the element before the canvas lands on the canvas' first card: ringed, announced, brought into view.
  await tabIntoFarCanvas(page);
  await expect(page.getByTestId('far-keys')).toBeFocused();
  const ring = page.getByTestId('far-focus');
  const announce = page.getByTestId('far-keys-announce');
  await expect(ring).toHaveAttribute('data-id', 'c0');
  await expect(announce).toHaveText('Card 0 (c0), Clean node, 1 of 320');
  await expect.poll(() => inView(page, 0), { message: 'the focused card is scrolled into view' }).toBe(true);
  await expect(page.locator('.react-flow__node-card'), 'focusing mounts no card').toHaveCount(0);

  // Arrows: the right neighbour, the one below; Tab and Shift+Tab in reading order.
  await page.keyboard.press('ArrowRight');
  await expect(ring).toHaveAttribute('data-id', 'c1');
  await expect(announce).toHaveText('Card 1 (c1), Clean node, 2 of 320');
  await page.keyboard.press('ArrowDown');
  await expect(ring).toHaveAttribute('data-id', 'c21');
  await page.keyboard.press('Tab');
  await expect(ring).toHaveAttribute('data-id', 'c22');
  await page.keyboard.press('Shift+Tab');
  await expect(ring).toHaveAttribute('data-id', 'c21');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowUp');
  await expect(ring).toHaveAttribute('data-id', 'c0');
  await page.keyboard.press('ArrowRight');
  await expect(ring).toHaveAttribute('data-id', 'c1');
  await screen(page, 'far-keys-ring');
  await page.getByTestId('btn-theme').click();
  await page.getByTestId('far-keys').focus();
  await expect(ring).toHaveAttribute('data-id', 'c1');
  await screen(page, 'far-keys-ring-dark');
  await page.getByTestId('btn-theme').click();
  await page.getByTestId('far-keys').focus();

  // Enter selects it as a click does: the inspector shows it; it alone is a rendered card.
  await page.keyboard.press('ArrowDown');
  await expect(ring).toHaveAttribute('data-id', 'c21');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('node-id')).toHaveValue('c21');
  await expect(page.locator('.inspector__title-input')).toHaveValue('Card 21');
  await expect(page.getByTestId('node-c21')).toHaveClass(/card--selected/);
  await expect(page.getByTestId('far-keys'), 'the focus stays on the canvas').toBeFocused();

  // Delete removes it (one undoable step), and the focus goes on to the next card.
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('btn-undo')).toHaveAttribute('title', /Delete c21/);
  await expect(page.getByTestId('node-c21')).toHaveCount(0);
  await expect(page.getByTestId('far-cards').locator('text')).toHaveCount(COUNT - 1);
  await expect(ring).toHaveAttribute('data-id', 'c22');
  await expect(announce).toHaveText('Card 22 (c22), Clean node, 22 of 319');

  // Zoomed in past the picture's step (the wheel), the focused card keeps the focus as the element it
  // becomes; zoomed out again, the picture's focus takes it back.
  const paneBox = (await page.locator('.react-flow__pane').boundingBox())!;
  await page.mouse.move(paneBox.x + paneBox.width / 2, paneBox.y + paneBox.height / 2);
  while ((await canvas.getAttribute('data-zoom-level')) === 'farther') await page.mouse.wheel(0, -100);
  await expect(page.locator('.react-flow__node[data-id="c22"]')).toBeFocused();
  await expect(page.getByTestId('far-keys')).toHaveCount(0);
  while ((await canvas.getAttribute('data-zoom-level')) !== 'farther') await page.mouse.wheel(0, 100);
  await expect(page.getByTestId('far-keys')).toBeFocused();
  await expect(ring).toHaveAttribute('data-id', 'c22');
});

test('zoomed far out, Shift+Tab from after the canvas enters on the last card, Tab past it leaves, and Delete on a card of a multi-selection removes the selection as one undoable step', async ({ page, workDir }) => {
  test.setTimeout(90_000);
  await openFarPipeline(page, workDir);
  const keys = page.getByTestId('far-keys');
  const ring = page.getByTestId('far-focus');
  const announce = page.getByTestId('far-keys-announce');

  // Shift+Tab from the first element after the canvas' focus stop: the last card in reading order.
  await page.evaluate(() => {
    const stop = document.querySelector('[data-testid="far-keys"]')!;
    const tabbable = [...document.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href], [tabindex]')].filter(
      (el) => el.tabIndex >= 0 && !(el as HTMLButtonElement).disabled && el.getClientRects().length > 0,
    );
    tabbable.find((el) => el.compareDocumentPosition(stop) & Node.DOCUMENT_POSITION_PRECEDING)!.focus();
  });
  await page.keyboard.press('Shift+Tab');
  await expect(keys).toBeFocused();
  await expect(ring).toHaveAttribute('data-id', 'c319');
  await expect(announce).toHaveText('Card 319 (c319), Clean node, 320 of 320');

  // Tab past the last card leaves the canvas; coming back, the focus is where it was.
  await page.keyboard.press('Tab');
  await expect(keys).not.toBeFocused();
  await expect(ring).toHaveCount(0);
  await page.keyboard.press('Shift+Tab');
  await expect(keys).toBeFocused();
  await expect(ring).toHaveAttribute('data-id', 'c319');

  // Enter selects c319; Ctrl+click on c318 in the picture adds it to the selection.
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('node-id')).toHaveValue('c319');
  const c318 = await onScreen(page, at(318).x + 110, at(318).y + 42);
  await page.mouse.move(c318.x, c318.y);
  await expect(page.getByTestId('node-c318')).toHaveCount(1);
  await page.keyboard.down('Control');
  await page.mouse.click(c318.x, c318.y);
  await page.keyboard.up('Control');
  await expect(page.locator('.inspector__title')).toHaveText('2 nodes selected');

  // Back on the canvas' focus (c319, selected): Delete removes both, as one step, and the focus
  // goes to the nearest card left before it in reading order.
  await keys.focus();
  await expect(ring).toHaveAttribute('data-id', 'c319');
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('btn-undo')).toHaveAttribute('title', /Delete 2 nodes/);
  await expect(page.getByTestId('far-cards').locator('text')).toHaveCount(COUNT - 2);
  await expect(page.getByTestId('node-c318')).toHaveCount(0);
  await expect(page.getByTestId('node-c319')).toHaveCount(0);
  await expect(ring).toHaveAttribute('data-id', 'c317');
  await expect(announce).toHaveText('Card 317 (c317), Clean node, 318 of 318');

  // One undo brings both back.
  await page.getByTestId('btn-undo').click();
  await expect(page.getByTestId('far-cards').locator('text')).toHaveCount(COUNT);
  await expect(page.getByTestId('far-cards')).toHaveAttribute('data-cards', String(COUNT));
});
