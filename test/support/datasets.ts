import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Matrix } from '../../core/ml/learners/types.ts';
import type { Task } from '../../core/spec/values.ts';

/**
 * The parity-test datasets: small public tables split once (seeded, stratified for
 * classification) by scripts/make-parity-datasets.py into test/fixtures/datasets/.
 * Every CSV holds numeric feature columns and a last column `target`.
 */
export const DATASET_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'datasets');

export type DatasetName = 'breast_cancer' | 'penguins_sex' | 'digits' | 'diabetes';
export type Part = 'train' | 'test';

export const DATASET_TASKS: Record<DatasetName, Task> = {
  breast_cancer: 'binary',
  penguins_sex: 'binary',
  digits: 'multiclass',
  diabetes: 'regression',
};

export const CLASSIFICATION_DATASETS: DatasetName[] = ['breast_cancer', 'penguins_sex', 'digits'];

export interface Dataset {
  X: Matrix;
  /** Regression: the target; classification: the index of the label in `classes`. */
  y: Float64Array;
  featureNames: string[];
  /** Classification: labels in sorted order (as sklearn's LabelEncoder orders them). */
  classes?: string[];
  task: Task;
}

export function datasetPath(name: DatasetName, part: Part): string {
  return join(DATASET_DIR, `${name}.${part}.csv`);
}

function readCsv(path: string): { header: string[]; rows: string[][] } {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
  return { header: lines[0].split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}

/** Sorted labels of a target column: numerically when they are all numbers, else as strings. */
function sortedLabels(values: string[]): string[] {
  const uniq = [...new Set(values)];
  const numeric = uniq.every((v) => v.trim() !== '' && Number.isFinite(Number(v)));
  return numeric ? uniq.sort((a, b) => Number(a) - Number(b)) : uniq.sort();
}

const cache = new Map<string, { train: Dataset; test: Dataset }>();

/** Both parts of a dataset; class indices come from the training labels. */
export function loadDataset(name: DatasetName): { train: Dataset; test: Dataset } {
  const hit = cache.get(name);
  if (hit) return hit;
  const task = DATASET_TASKS[name];
  const train = readCsv(datasetPath(name, 'train'));
  const test = readCsv(datasetPath(name, 'test'));
  const featureNames = train.header.slice(0, -1);
  const classes = task === 'regression' ? undefined : sortedLabels(train.rows.map((r) => r[r.length - 1]));
  const build = (t: { rows: string[][] }): Dataset => {
    const n = t.rows.length;
    const p = featureNames.length;
    const data = new Float64Array(n * p);
    const y = new Float64Array(n);
    t.rows.forEach((r, i) => {
      for (let j = 0; j < p; j++) data[i * p + j] = r[j] === '' ? NaN : Number(r[j]);
      const label = r[p];
      if (classes) {
        const k = classes.indexOf(label);
        if (k < 0) throw new Error(`${name}: label "${label}" is not among the training labels`);
        y[i] = k;
      } else y[i] = Number(label);
    });
    return { X: { data, rows: n, cols: p }, y, featureNames, classes, task };
  };
  const out = { train: build(train), test: build(test) };
  cache.set(name, out);
  return out;
}

export const loadTrain = (name: DatasetName): Dataset => loadDataset(name).train;
export const loadTest = (name: DatasetName): Dataset => loadDataset(name).test;

/**
 * Standardize with the training part's mean and (population) std, as sklearn's StandardScaler:
 * a constant column keeps scale 1. Returns new matrices; the inputs are not changed.
 */
export function standardize(train: Matrix, ...others: Matrix[]): Matrix[] {
  const { rows: n, cols: p } = train;
  const mean = new Float64Array(p);
  const scale = new Float64Array(p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) mean[j] += train.data[i * p + j];
  for (let j = 0; j < p; j++) mean[j] /= n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) {
      const d = train.data[i * p + j] - mean[j];
      scale[j] += d * d;
    }
  }
  for (let j = 0; j < p; j++) {
    const s = Math.sqrt(scale[j] / n);
    scale[j] = s < 10 * Number.EPSILON * Math.max(1, Math.abs(mean[j])) ? 1 : s;
  }
  return [train, ...others].map((m) => {
    const data = new Float64Array(m.data.length);
    for (let i = 0; i < m.rows; i++) for (let j = 0; j < p; j++) data[i * p + j] = (m.data[i * p + j] - mean[j]) / scale[j];
    return { data, rows: m.rows, cols: p };
  });
}
