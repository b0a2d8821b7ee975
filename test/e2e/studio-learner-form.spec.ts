/**
 * A learner's settings are a form built from its schema: numbers with their range, choices as
 * selects, an "Advanced" fold; switching learner keeps the shared settings, drops the others and
 * says so, in one undoable step; the JSON view is still there.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from './support/fixtures.ts';
import { openFile, pipelineFile, screen, writePipeline } from './support/studio.ts';

test('learner settings are a form with ranges and choices, and switching learner keeps shared settings, drops the rest and says so in one undo step', async ({ page, workDir }) => {
  const file = writePipeline(workDir, 'form.flow.json', pipelineFile('Form', [
    { id: 'load', type: 'data.load_csv', params: { path: 'datasets/penguins_sex.train.csv' } },
    { id: 'train', type: 'ml.train', params: { target: 'target', learner: 'random_forest', learner_params: { n_estimators: 50, max_depth: 4, bootstrap: false } } },
  ], ['load.table -> train.table']));
  await openFile(page, file);
  await page.getByTestId('node-train').click();
  const inspector = page.getByTestId('inspector');
  const setting = (name: string) => inspector.getByTestId(`learner-param-${name}`);

  // Numbers with their range and default, choices as selects, knobs folded away.
  await expect(inspector.getByTestId('param-learner').locator('select')).toHaveValue('random_forest');
  await expect(setting('n_estimators').locator('input')).toHaveValue('50');
  await expect(setting('n_estimators')).toContainText('Range 1 – 100,000. Default 100.');
  await expect(setting('bootstrap').locator('input')).not.toBeChecked();
  await expect(setting('class_weight').locator('select')).toHaveValue('none');
  await expect(setting('max_features').locator('input')).toHaveValue('auto');
  await expect(setting('max_bins')).toHaveCount(0);
  await inspector.getByTestId('learner-settings-advanced').click();
  await expect(setting('max_bins').locator('input')).toHaveValue('255');
  await screen(page, 'inspector-learner-form');

  // Out of range: said at once and not written; in range: written.
  const trees = setting('n_estimators').locator('input');
  await trees.fill('0');
  await expect(setting('n_estimators').getByRole('alert')).toHaveText('At least 1.');
  await trees.fill('80');
  await trees.press('Enter');
  await setting('max_features').locator('input').fill('0.5');
  await setting('max_features').locator('input').press('Enter');
  await page.keyboard.press('Control+S');
  await expect(page.getByTestId('toast').filter({ hasText: 'Saved' })).toBeVisible();
  const saved = () => (JSON.parse(readFileSync(file, 'utf8')) as { nodes: { id: string; params: Record<string, unknown> }[] }).nodes.find((n) => n.id === 'train')!.params;
  expect(saved().learner_params).toEqual({ n_estimators: 80, max_depth: 4, bootstrap: false, max_features: 0.5 });

  // Switch: what a decision tree also has stays, the rest goes, and the user is told.
  await inspector.getByTestId('param-learner').locator('select').selectOption('decision_tree');
  await expect(page.getByTestId('toast').filter({ hasText: 'train now uses Decision tree (CART). Kept max_depth, max_features. Dropped n_estimators, bootstrap' })).toBeVisible();
  await expect(setting('max_depth').locator('input')).toHaveValue('4');
  await expect(setting('n_estimators')).toHaveCount(0);
  await page.keyboard.press('Control+S');
  await expect.poll(() => saved()).toMatchObject({ learner: 'decision_tree', learner_params: { max_depth: 4, max_features: 0.5 } });
  expect(saved().learner_params).toEqual({ max_depth: 4, max_features: 0.5 });

  // One undo step brings back the learner and every dropped setting.
  await page.getByTestId('btn-undo').click();
  await expect(inspector.getByTestId('param-learner').locator('select')).toHaveValue('random_forest');
  await expect(setting('n_estimators').locator('input')).toHaveValue('80');
  await expect(setting('bootstrap').locator('input')).not.toBeChecked();

  // The JSON view is still there.
  await inspector.getByTestId('learner-settings-json').click();
  await expect(inspector.getByTestId('param-learner_params')).toContainText('"n_estimators": 80');
});
