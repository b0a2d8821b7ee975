/**
 * The canvas as an editor: the panels around it resize and keep their size.
 */
import { expect, test } from './support/fixtures.ts';
import { newPipeline } from './support/studio.ts';

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
