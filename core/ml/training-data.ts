/**
 * From raw rows to what a learner is fitted on: the target and the task, the feature columns, a
 * model's sample of its raw inputs and its class weights. The matrices themselves are built on
 * the worker pool (matrix-tasks.ts), which calls these; so do cross-validation (folds.ts) and
 * model.ts, which re-exports them.
 */
import { isSelector, resolveColumns, type ColumnSelection } from '../spec/columns.ts';
import { FlowlineError } from '../spec/errors.ts';
import { ROW_ID, type ColumnSchema, type ModelValue, type RecipeStep, type Task } from '../spec/values.ts';
import type { Frame } from './frame.ts';
import type { Learner } from './learners/types.ts';

export type TaskChoice = 'auto' | Task;
export const TASK_CHOICES = ['auto', 'binary', 'multiclass', 'regression', 'clustering', 'anomaly'] as const;

/** A target column turned into what learners take: class indices, or numbers for regression. */
export interface Target {
  task: Task;
  classes?: (string | number)[];
  y?: Float64Array;
}

const MAX_INTEGER_CLASSES = 20;

// ---------------------------------------------------------------- target and task

function sortClasses(values: (string | number)[]): (string | number)[] {
  return typeof values[0] === 'number' ? [...values].sort((a, b) => (a as number) - (b as number)) : [...values].map(String).sort();
}

/**
 * Read the target and decide the task. Auto: text or boolean, or a whole-number column with at
 * most 20 distinct values → classification (binary with 2 classes); other numbers → regression.
 */
export function prepareTarget(frame: Frame, target: string, choice: TaskChoice, rowIndex?: ArrayLike<number>): Target {
  const col = frame.columns[target];
  if (!col) {
    throw new FlowlineError({ code: 'COLUMN_NOT_FOUND', column: target, message: `The target column "${target}" is not in the table.`, hint: 'Pick the target column again on the Train node.' });
  }
  const type = frame.types[target];
  const idx = rowIndex ? Array.from(rowIndex) : Array.from({ length: frame.rows }, (_, i) => i);
  const numeric = col instanceof Float64Array;
  const raw: (string | number | null)[] = idx.map((i) => {
    const v = col[i];
    if (numeric) return Number.isNaN(v as number) ? null : type === 'boolean' ? ((v as number) ? 'true' : 'false') : (v as number);
    return v as string | null;
  });
  const missing = raw.filter((v) => v === null).length;
  if (missing > 0) {
    throw new FlowlineError({
      code: 'BAD_TARGET',
      column: target,
      message: `The target "${target}" is missing in ${missing} of ${raw.length} rows.`,
      hint: `Drop those rows first (Filter Rows: ${target} IS NOT NULL), or fill them in.`,
    });
  }
  const distinct = [...new Set(raw as (string | number)[])];
  let task: Task;
  if (choice === 'auto') {
    const textLike = !numeric || type === 'boolean';
    const fewIntegers = numeric && distinct.length <= MAX_INTEGER_CLASSES && distinct.every((v) => Number.isInteger(v));
    task = textLike || fewIntegers ? (distinct.length <= 2 ? 'binary' : 'multiclass') : 'regression';
  } else task = choice;

  if (task === 'regression') {
    if (!numeric || type === 'boolean') {
      throw new FlowlineError({
        code: 'COLUMN_TYPE',
        column: target,
        message: `Regression needs a numeric target, but "${target}" holds text (e.g. "${distinct[0]}").`,
        hint: 'Set task to classification (binary or multiclass), or convert the column to numbers with Change Type.',
      });
    }
    return { task, y: Float64Array.from(raw as number[]) };
  }
  if (task === 'binary' || task === 'multiclass') {
    if (distinct.length < 2) {
      throw new FlowlineError({
        code: 'BAD_TARGET',
        column: target,
        message: `The target "${target}" has a single class ("${distinct[0]}") in the ${raw.length} training rows; there is nothing to learn.`,
        hint: 'Check the target column, and any filter or split before Train.',
      });
    }
    if (task === 'binary' && distinct.length > 2) {
      throw new FlowlineError({ code: 'BAD_TARGET', column: target, message: `Task is binary, but the target "${target}" has ${distinct.length} classes.`, hint: 'Set task to multiclass (or auto).' });
    }
    const classes = sortClasses(distinct);
    const index = new Map(classes.map((c, i) => [c, i]));
    return { task, classes, y: Float64Array.from(raw, (v) => index.get(v as string | number)!) };
  }
  return { task };
}

/** Class indices of `frame`'s target with a model's classes; unseen labels are -1. */
export function encodeTarget(frame: Frame, target: string, classes: (string | number)[]): Int32Array {
  const col = frame.columns[target];
  const index = new Map(classes.map((c, i) => [c, i]));
  const boolean = frame.types[target] === 'boolean';
  return Int32Array.from({ length: frame.rows }, (_, i) => {
    const v = col[i];
    if (v === null || (typeof v === 'number' && Number.isNaN(v))) return -1;
    const key = boolean ? (v ? 'true' : 'false') : typeof classes[0] === 'number' ? Number(v) : String(v);
    return index.get(key) ?? -1;
  });
}

export function checkLearnerTask(learner: Learner, task: Task): void {
  if (learner.tasks.includes(task)) return;
  throw new FlowlineError({
    code: 'INVALID_PARAM',
    path: ['learner'],
    message: `${learner.title} cannot do ${task}; it does ${learner.tasks.join(', ')}.`,
    hint: `Pick a learner that supports ${task}, or change the task.`,
  });
}

/**
 * Where the target is read: the raw rows, as scikit-learn's Pipeline leaves y alone even when a
 * feature step lists the target column; the transformed frame only when a step created it.
 */
export function targetSource(raw: Frame, transformed: Frame, target: string): Frame {
  return target in raw.columns ? raw : transformed;
}

/**
 * Feature steps must leave the target alone: a step that transforms it (Scale or Encode with the
 * target among its columns) would leak the answer into features (one-hot of the label) and make
 * the model need the target to predict. Supervised steps that only *read* it (target encoding,
 * k-best selection) do not list it among their inputs and are fine.
 */
export function checkRecipeLeavesTarget(steps: RecipeStep[], target: string): void {
  const step = steps.find((s) => s.inputs.includes(target));
  if (!step) return;
  throw new FlowlineError({
    code: 'BAD_TARGET',
    column: target,
    message: `The feature step in node '${step.nodeId}' (${step.kind}) transforms the target "${target}". Feature steps must not touch the target: it would leak the answer into the features.`,
    hint: step.selectors?.columns ? `Add "${target}" to the "except" list of node '${step.nodeId}''s column selector.` : `Remove "${target}" from the columns of node '${step.nodeId}'.`,
  });
}

// ---------------------------------------------------------------- features and inputs

/**
 * The estimator's columns as chosen: the list, or what a selector picks ("all numeric") among the
 * columns after the recipe but the target, or every column but the target and ROW_ID.
 */
export function chosenFeatures(frame: Frame, target: string | undefined, chosen?: ColumnSelection, visible?: ColumnSchema[]): string[] {
  // The re-fitted recipe starts from its base table, which still holds columns a later Select
  // Columns dropped; only the columns of the table Train was given (`visible`) are candidates.
  const shown = visible && new Set(visible.map((c) => c.name));
  const all = Object.keys(frame.columns).filter((c) => c !== target && c !== ROW_ID && (!shown || shown.has(c)));
  return isSelector(chosen) ? resolveColumns(chosen, all.map((name) => ({ name, type: frame.types[name] }))) : chosen?.length ? chosen : all;
}

/** chosenFeatures, checked: each is a column, not the target, and holds numbers. */
export function featureColumns(frame: Frame, target: string | undefined, chosen?: ColumnSelection, visible?: ColumnSchema[]): string[] {
  const features = chosenFeatures(frame, target, chosen, visible);
  for (const f of features) {
    if (!(f in frame.columns)) {
      throw new FlowlineError({ code: 'COLUMN_NOT_FOUND', column: f, message: `Feature "${f}" is not a column after the recipe.`, hint: `Columns are: ${Object.keys(frame.columns).filter((c) => c !== ROW_ID).join(', ')}.` });
    }
    if (f === target) throw new FlowlineError({ code: 'INVALID_PARAM', path: ['features'], column: f, message: `The target "${f}" cannot also be a feature.`, hint: 'Remove it from the features list.' });
    if (!(frame.columns[f] instanceof Float64Array)) {
      throw new FlowlineError({
        code: 'COLUMN_TYPE',
        column: f,
        message: `Feature "${f}" holds text; the learner needs numbers.`,
        hint: `Turn on automatic preparation in Train, add an Encode Categories step (one-hot or ordinal) for "${f}" before Train, or leave it out of the features list.`,
      });
    }
  }
  if (features.length === 0) throw new FlowlineError({ code: 'BAD_DATA', message: 'There are no feature columns to train on.', hint: 'The table needs at least one column besides the target.' });
  return features;
}

/** Raw columns the fitted recipe + features depend on (walking the recipe backwards). */
export function inputColumnsOf(base: ColumnSchema[], steps: RecipeStep[], features: string[], target?: string): ColumnSchema[] {
  const needed = new Set(features);
  for (let s = steps.length - 1; s >= 0; s--) {
    if (steps[s].outputs.some((o) => needed.has(o))) for (const i of steps[s].inputs) needed.add(i);
  }
  return base.filter((c) => needed.has(c.name) && c.name !== target && c.name !== ROW_ID);
}

/** "balanced" class weights as sample weights: n / (k · count of the row's class), as sklearn. */
export function balancedWeights(y: Float64Array, k: number): Float64Array {
  const counts = new Float64Array(k);
  for (const c of y) counts[c]++;
  return Float64Array.from(y, (c) => y.length / (k * counts[c]));
}

/** Raw training rows a model keeps (ModelValue.sample). */
export const MODEL_SAMPLE_ROWS = 64;

/** Up to `max` evenly spaced rows of `columns`, copied: a model's sample of its raw inputs. */
export function sampleRows(frame: Frame, columns: string[], max: number): NonNullable<ModelValue['sample']> {
  const n = Math.min(frame.rows, max);
  const index = Array.from({ length: n }, (_, i) => Math.floor((i * frame.rows) / n));
  const out: NonNullable<ModelValue['sample']> = { rows: n, columns: {}, types: {} };
  for (const name of columns) {
    const col = frame.columns[name];
    out.columns[name] = col instanceof Float64Array ? Float64Array.from(index, (i) => col[i]) : index.map((i) => col[i]);
    out.types[name] = frame.types[name];
  }
  return out;
}
