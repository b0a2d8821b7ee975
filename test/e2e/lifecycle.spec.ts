/**
 * Fairness in the studio (docs/lifecycle.md): a feature that looks like a protected attribute is a
 * warning in the inspector of the node that fits on it, before anything runs.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './support/fixtures.ts';
import { openFile, screen, writePipeline } from './support/studio.ts';

test('the inspector warns when a protected-looking column (gender, age) is a feature of Train', async ({ page, workDir }) => {
  writeFileSync(join(workDir, 'loans.csv'), 'income,gender,age,page_views,approved\n30,f,41,3,yes\n50,m,35,9,no\n42,f,29,4,yes\n');
  const file = writePipeline(workDir, 'loans.flow.json', {
    format: 'flowline.pipeline',
    version: 1,
    name: 'Loans',
    nodes: [
      { id: 'load', type: 'data.load_csv', version: 1, params: { path: 'loans.csv' } },
      { id: 'train', type: 'ml.train', version: 1, params: { target: 'approved', learner: 'logistic_regression' } },
    ],
    edges: [{ from: 'load.table', to: 'train.table' }],
  });
  await openFile(page, file);
  await expect(page.getByTestId('node-train')).toBeVisible();
  await page.getByTestId('node-train').click();
  const warnings = page.locator('.field__warning', { hasText: 'protected attribute' });
  await expect(warnings).toHaveCount(2, { timeout: 30_000 });
  await expect(warnings.first()).toContainText('Feature "gender" looks like a protected attribute (sex)');
  await expect(warnings.nth(1)).toContainText('Feature "age"');
  await screen(page, 'fairness-protected-attribute-warning');
});
