/**
 * A small gated pipeline for the model registry's studio tests (host API and e2e): a CSV of two
 * numbers and a yes/no label, split, logistic regression, Evaluate, and the gates given.
 */
const row = (i: number) => {
  const x1 = ((i * 37) % 101) / 10 - 5;
  const x2 = ((i * 53) % 97) / 20 - 2;
  return `${x1},${x2},${x1 + x2 + (((i * 7) % 11) - 5) / 5 > 0 ? 'yes' : 'no'}`;
};

/** `rows` rows starting at row `from` (a different `from`: different data of the same kind). */
export const gatedCsv = (from: number, rows: number) => `x1,x2,label\n${Array.from({ length: rows }, (_, i) => row(from + i)).join('\n')}\n`;

const node = (id: string, type: string, params: Record<string, unknown> = {}) => ({ id, type, version: 1, params });

/** The pipeline reading `data` (relative to its folder), named `name`, with `gates`. */
export function gatedPipeline(name: string, data: string, gates: unknown[]) {
  return {
    format: 'flowline.pipeline',
    version: 2,
    name,
    seed: 3,
    nodes: [node('load', 'data.load_csv', { path: data }), node('split', 'data.split', { test_fraction: 0.25 }), node('train', 'ml.train', { target: 'label', learner: 'logistic_regression' }), node('evaluate', 'ml.evaluate')],
    edges: [
      { from: 'load.table', to: 'split.table' },
      { from: 'split.train', to: 'train.table' },
      { from: 'train.model', to: 'evaluate.model' },
      { from: 'split.test', to: 'evaluate.table' },
    ],
    gates,
  };
}
