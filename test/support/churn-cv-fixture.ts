/**
 * A churn table and a 5-fold cross-validation with a full recipe (impute, formula, one-hot,
 * scale, bins): the heavy host-side work that test/core/exec/host-thread.runs-no-recipe-fit-during-cv.test.ts
 * counts and bench/host-loop.ts times.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pipeline } from '../../core/schema/index.ts';
import { Rng } from '../../core/spec/random.ts';

/** customers.csv in `dir`: age, income (5% missing), city, visits, churned (yes/no). */
export function writeChurnCsv(dir: string, rows: number): void {
  const rng = new Rng(7);
  const cities = ['north', 'south', 'east', 'west', 'centre'];
  const lines = ['age,income,city,visits,churned'];
  for (let i = 0; i < rows; i++) {
    const age = 18 + Math.floor(rng.next() * 60);
    const income = rng.next() < 0.05 ? '' : (20 + rng.next() * 80).toFixed(2);
    const city = cities[Math.floor(rng.next() * cities.length)];
    const visits = Math.floor(rng.next() * 20);
    const churned = rng.next() < 1 / (1 + Math.exp(-(visits - 10) / 3)) ? 'yes' : 'no';
    lines.push(`${age},${income},${city},${visits},${churned}`);
  }
  writeFileSync(join(dir, 'customers.csv'), `${lines.join('\n')}\n`);
}

export const churnCvPipeline = Pipeline.parse({
  format: 'flowline.pipeline',
  version: 1,
  seed: 3,
  nodes: [
    { id: 'load', type: 'data.load_csv', version: 1, params: { path: 'customers.csv' } },
    { id: 'impute', type: 'prep.impute', version: 1, params: { columns: ['income'], strategy: 'median' } },
    { id: 'ratio', type: 'prep.formula', version: 1, params: { output: 'income_per_visit', expression: 'income / (visits + 1)' } },
    { id: 'encode', type: 'prep.encode', version: 1, params: { columns: ['city'], method: 'onehot' } },
    { id: 'scale', type: 'prep.scale', version: 1, params: { columns: ['age', 'income', 'income_per_visit'], method: 'standard' } },
    { id: 'bins', type: 'prep.discretize', version: 1, params: { columns: ['visits'], strategy: 'quantile', n_bins: 4 } },
    { id: 'cv', type: 'ml.cross_validate', version: 1, params: { target: 'churned', learner: 'decision_tree', learner_params: { max_depth: 4 }, folds: 5 } },
  ],
  edges: [
    { from: 'load.table', to: 'impute.table' },
    { from: 'impute.table', to: 'ratio.table' },
    { from: 'ratio.table', to: 'encode.table' },
    { from: 'encode.table', to: 'scale.table' },
    { from: 'scale.table', to: 'bins.table' },
    { from: 'bins.table', to: 'cv.table' },
  ],
});
