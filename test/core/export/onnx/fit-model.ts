/**
 * Fit a model in memory, as trainModel does but without tables: raw frame → recipe fitted on the
 * rows → learner. Export tests need many small models quickly; the headless pipeline test covers
 * the real Train node.
 */
import { frameFromArrays, type Frame } from '../../../../core/ml/frame.ts';
import { learnerByKind } from '../../../../core/ml/learners/index.ts';
import { featureColumns, inputColumnsOf, prepareTarget, type TaskChoice } from '../../../../core/ml/model.ts';
import { fitTransformRecipe, frameToMatrix, stepKind } from '../../../../core/ml/recipe.ts';
import { Rng } from '../../../../core/spec/random.ts';
import type { ColumnSchema, ModelValue, RecipeStep, Task } from '../../../../core/spec/values.ts';

export interface StepSpec {
  kind: string;
  params: Record<string, unknown>;
  nodeId?: string;
}

export function recipeSteps(specs: StepSpec[]): RecipeStep[] {
  return specs.map((s, i) => {
    const io = stepKind({ kind: s.kind, nodeId: s.nodeId ?? `step${i}` }).io(s.params, undefined);
    return { nodeId: s.nodeId ?? `${s.kind}_${i}`, kind: s.kind, params: s.params, inputs: io.inputs, outputs: io.outputs, exportable: true };
  });
}

export function fitModel(options: { frame: Frame; steps?: StepSpec[]; target?: string; task?: TaskChoice; learner: string; params?: Record<string, unknown>; seed?: number }): ModelValue {
  const { frame } = options;
  const learner = learnerByKind(options.learner);
  const params = learner.params.parse(options.params ?? {});
  const { steps, frame: fitted } = fitTransformRecipe(recipeSteps(options.steps ?? []), frame);
  const target = options.target ? prepareTarget(frame.columns[options.target] ? frame : fitted, options.target, options.task ?? 'auto') : { task: (options.task ?? learner.tasks[0]) as Task };
  const features = featureColumns(fitted, options.target);
  const X = frameToMatrix(fitted, features);
  const state = learner.fit({ X, y: target.y, nClasses: target.classes?.length, featureNames: features }, params as never, { task: target.task, seed: options.seed ?? 7 });
  const base: ColumnSchema[] = Object.keys(frame.columns).map((name) => ({ name, type: frame.types[name], dbType: frame.types[name] === 'string' ? 'VARCHAR' : 'DOUBLE' }));
  return {
    kind: 'model',
    task: target.task,
    target: options.target ?? null,
    classes: target.classes,
    inputColumns: inputColumnsOf(base, steps, features, options.target),
    recipe: steps,
    features,
    estimator: { kind: learner.kind, params, state },
    trainedOn: { nodeId: 'train', rows: X.rows },
  };
}

/**
 * Rows with two numeric columns (some missing), a text column (some missing) and targets for every
 * task: `label` (3 classes), `yes` (2 classes), `amount` (numbers).
 */
export function syntheticRows(n: number, seed: number, options: { unseen?: boolean } = {}): Frame {
  const rng = new Rng(seed);
  const x1: (number | null)[] = [];
  const x2: (number | null)[] = [];
  const city: (string | null)[] = [];
  const label: string[] = [];
  const yes: string[] = [];
  const amount: number[] = [];
  const cities = options.unseen ? ['Lyon', 'Oslo', 'Porto', 'Quito'] : ['Lyon', 'Oslo', 'Porto'];
  for (let i = 0; i < n; i++) {
    const a = rng.normal() * 2 + 1;
    const b = rng.normal();
    const c = cities[rng.int(cities.length)];
    const cityEffect = c === 'Oslo' ? 1 : c === 'Porto' ? -1 : 0;
    x1.push(rng.next() < 0.08 ? null : a);
    x2.push(rng.next() < 0.08 ? null : b);
    city.push(rng.next() < 0.08 ? null : c);
    const s = a + b + cityEffect + rng.normal() * 0.5;
    label.push(s < 0 ? 'low' : s < 2 ? 'mid' : 'high');
    yes.push(s > 1 ? 'yes' : 'no');
    amount.push(3 * a - 2 * b + cityEffect + rng.normal() * 0.1);
  }
  return frameFromArrays({ x1, x2, city, label, yes, amount });
}

const TARGETS = ['label', 'yes', 'amount'];

/** The synthetic rows with one target kept (the others dropped, so they are not features). */
export function withTarget(frame: Frame, target: string | null): Frame {
  const out: Frame = { rows: frame.rows, columns: {}, types: {} };
  for (const name of Object.keys(frame.columns)) {
    if (TARGETS.includes(name) && name !== target) continue;
    out.columns[name] = frame.columns[name];
    out.types[name] = frame.types[name];
  }
  return out;
}

/** A case per learner and task: [learner, target (null: clustering / anomaly), learner params]. */
export const LEARNER_CASES: [string, string | null, Record<string, unknown>][] = [
  ['linear_regression', 'amount', {}],
  ['ridge', 'amount', { alpha: 2 }],
  ['lasso', 'amount', { alpha: 0.01 }],
  ['logistic_regression', 'yes', {}],
  ['logistic_regression', 'label', {}],
  ['linear_svm', 'yes', {}],
  ['linear_svm', 'label', {}],
  ['knn', 'label', {}],
  ['knn', 'yes', { weights: 'distance' }],
  ['knn', 'amount', { weights: 'distance', n_neighbors: 4 }],
  ['gaussian_nb', 'label', {}],
  ['mlp', 'label', { max_iter: 30 }],
  ['mlp', 'yes', { max_iter: 30, activation: 'tanh' }],
  ['mlp', 'amount', { max_iter: 30, hidden_layer_sizes: [8, 4] }],
  ['kmeans', null, { n_clusters: 3 }],
  ['decision_tree', 'label', {}],
  ['decision_tree', 'amount', { max_depth: 6 }],
  ['random_forest', 'label', { n_estimators: 15 }],
  ['random_forest', 'amount', { n_estimators: 15 }],
  ['hist_gradient_boosting', 'yes', { max_iter: 15 }],
  ['hist_gradient_boosting', 'label', { max_iter: 15 }],
  ['hist_gradient_boosting', 'amount', { max_iter: 15 }],
  ['isolation_forest', null, { n_estimators: 20 }],
];
