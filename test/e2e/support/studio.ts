/**
 * What a user does in the studio, as small helpers the e2e specs share: start a pipeline, drag
 * from the palette, draw an edge, set a file, open a file, run, and keep a screenshot.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';

const SCREENS = join(process.cwd(), 'test-results', 'screens');

export async function screen(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENS, { recursive: true });
  const file = join(SCREENS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

export async function newPipeline(page: Page): Promise<void> {
  await page.getByTestId('start-new').click();
  await expect(page.getByTestId('canvas')).toBeVisible();
}

/** Drag a palette item onto the canvas at (x, y) from the canvas's top-left corner. */
export async function dragNode(page: Page, type: string, x: number, y: number): Promise<void> {
  await page.getByTestId(`palette-item-${type}`).dragTo(page.getByTestId('canvas'), { targetPosition: { x, y } });
}

/** Press on a handle, move to another, release: what a user does to draw an edge. */
export async function connect(page: Page, fromHandle: string, toHandle: string): Promise<void> {
  const a = await page.getByTestId(fromHandle).boundingBox();
  const b = await page.getByTestId(toHandle).boundingBox();
  if (!a || !b) throw new Error(`handle not on screen: ${!a ? fromHandle : toHandle}`);
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 10 });
  await page.mouse.up();
}

/** The text box of the selected node's file param (whatever the param is called). */
export function fileInput(page: Page): Locator {
  return page
    .getByTestId('inspector')
    .locator('[data-testid^="param-"]')
    .filter({ has: page.getByRole('button', { name: 'Browse…' }) })
    .locator('input')
    .first();
}

export async function setFile(page: Page, nodeId: string, path: string): Promise<void> {
  await page.getByTestId(`node-${nodeId}`).click();
  const input = fileInput(page);
  await input.fill(path);
  await input.press('Enter');
  await expect(page.getByTestId(`node-summary-${nodeId}`)).toContainText(path.split('/').pop()!);
}

export const edgeCount = (page: Page) => page.locator('.react-flow__edge').count();

/** Click on an empty spot of the canvas (clears the selection, focuses the canvas). */
export async function clickCanvas(page: Page): Promise<void> {
  await page.getByTestId('canvas').click({ position: { x: 20, y: 200 } });
}

/** Write a pipeline file into `dir` and return its path. */
export function writePipeline(dir: string, name: string, pipeline: object): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(pipeline, null, 2));
  return file;
}

/** Open a file by typing its path in the Open dialog (from the start screen or the top bar). */
export async function openFile(page: Page, file: string): Promise<void> {
  const fromStart = await page.getByTestId('start-open').isVisible();
  await page.getByTestId(fromStart ? 'start-open' : 'btn-open').click();
  await page.getByTestId('open-path').fill(file);
  await page.getByTestId('open-submit').click();
}

/** Press Run on a file with code nodes, and trust its code when the studio asks. */
export async function runAndTrust(page: Page): Promise<void> {
  await page.getByTestId('btn-run').click();
  await page.getByTestId('trust-confirm').click();
}

export const statusOf = (page: Page, nodeId: string) => page.getByTestId(`node-status-${nodeId}`);

/** A minimal pipeline file: nodes laid out left to right, edges as "from.port -> to.port". */
export function pipelineFile(name: string, nodes: { id: string; type: string; params?: Record<string, unknown> }[], edges: string[]): object {
  return {
    format: 'flowline.pipeline',
    version: 1,
    name,
    seed: 42,
    nodes: nodes.map((n) => ({ id: n.id, type: n.type, version: 1, params: n.params ?? {} })),
    edges: edges.map((e) => {
      const [from, to] = e.split(/\s*->\s*/);
      return { from, to };
    }),
    layout: { positions: Object.fromEntries(nodes.map((n, i) => [n.id, { x: i * 300, y: 0 }])), notes: [], groups: [] },
  };
}

/** The view's zoom, from the viewport's transform. */
const viewZoom = (page: Page) => page.evaluate(() => new DOMMatrixReadOnly(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform).a);

/** Zoom in with the Zoom In button (×1.2 a click) to the nearest the 'farther' step comes (below 35 %). */
export async function zoomInToNearestFarther(page: Page): Promise<void> {
  const zoomIn = page.getByRole('button', { name: 'Zoom In' });
  while ((await viewZoom(page)) * 1.2 < 0.35) {
    const before = await viewZoom(page);
    await zoomIn.click();
    await expect.poll(() => viewZoom(page)).toBeGreaterThan(before);
  }
}

/** Press Tab from the element just before the far-zoom canvas' focus stop (FarFocus.tsx), as a keyboard user arrives there. */
export async function tabIntoFarCanvas(page: Page): Promise<void> {
  await page.evaluate(() => {
    const keys = document.querySelector('[data-testid="far-keys"]')!;
    const tabbable = [...document.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href], [tabindex]')].filter(
      (el) => el.tabIndex >= 0 && !(el as HTMLButtonElement).disabled && el.getClientRects().length > 0,
    );
    tabbable.filter((el) => el.compareDocumentPosition(keys) & Node.DOCUMENT_POSITION_FOLLOWING).pop()!.focus();
  });
  await page.keyboard.press('Tab');
}
