/**
 * Train's automatic preparation: what a newcomer would otherwise add by hand before a learner can
 * read a raw table. It emits ordinary recipe steps, fitted on the training rows like any other
 * step and carried into the model, so Evaluate, Predict, explanations and export replay them:
 *
 * - `impute` (strategy "median") over every numeric feature column — missing numbers become the
 *   training median, here and in any row the model scores later;
 * - `onehot` (handle_unknown "ignore": a category unseen in training is all zeros) over every text
 *   feature column with at most `maxCategories` categories in the training rows (missing is a
 *   category of its own, `<column>_missing`);
 * - `hashing` (`hashFeatures` columns) over text columns with more categories than that. Hashing
 *   has no ONNX form: a model that needed it says so, by name, when exported.
 *
 * Each emitted step has `auto: true` and the Train node's id.
 */
import type { RecipeStep } from '../spec/values.ts';
import type { Frame } from './frame.ts';
import { hashing } from './prep/hashing.ts';
import { impute } from './prep/impute.ts';
import { onehot } from './prep/onehot.ts';
import { learnCategories } from './prep/categories.ts';
import type { AnyStepKind } from './prep/types.ts';

/** The step kinds automatic preparation can emit (ONNX export: impute and onehot are exportable, hashing is not). */
export const AUTO_PREP_STEP_KINDS = ['impute', 'onehot', 'hashing'] as const;

export interface AutoPrepOptions {
  /** Text columns with more categories than this (in the training rows) are hashed, not one-hot encoded. */
  maxCategories: number;
  /** Hashed columns per text column. */
  hashFeatures?: number;
}

const HASH_FEATURES = 16;

function step(nodeId: string, kind: AnyStepKind, params: Record<string, unknown>): RecipeStep {
  const io = kind.io(params, undefined);
  return { nodeId, kind: kind.kind, params, inputs: io.inputs, outputs: io.outputs, exportable: kind.exportable, auto: true };
}

/**
 * The unfitted steps that make `candidates` (feature columns of `frame`, before encoding) all
 * numbers without gaps. Empty when there is nothing to do.
 */
export function autoPrepSteps(nodeId: string, frame: Frame, candidates: string[], options: AutoPrepOptions): RecipeStep[] {
  const numeric = candidates.filter((c) => frame.columns[c] instanceof Float64Array);
  const text = candidates.filter((c) => !(frame.columns[c] instanceof Float64Array));
  const few: string[] = [];
  const many: string[] = [];
  for (const c of text) (learnCategories(frame, c, 'Train Model (automatic preparation)').categories.length <= options.maxCategories ? few : many).push(c);
  const steps: RecipeStep[] = [];
  if (numeric.length) steps.push(step(nodeId, impute, { columns: numeric, strategy: 'median', add_indicator: false }));
  if (few.length) steps.push(step(nodeId, onehot, { columns: few, max_categories: null, handle_unknown: 'ignore' }));
  if (many.length) steps.push(step(nodeId, hashing, { columns: many, n_features: options.hashFeatures ?? HASH_FEATURES }));
  return steps;
}

/**
 * Feature names after automatic preparation: each encoded text column replaced, in place, by the
 * columns its fitted step made from it.
 */
export function preparedFeatures(features: string[], fitted: RecipeStep[], lineage: (s: RecipeStep) => Record<string, string[]>): string[] {
  const madeFrom = new Map<string, string[]>();
  for (const s of fitted) {
    if (s.kind === 'impute') continue;
    for (const [output, inputs] of Object.entries(lineage(s))) for (const input of inputs) madeFrom.set(input, [...(madeFrom.get(input) ?? []), output]);
  }
  return features.flatMap((f) => madeFrom.get(f) ?? [f]);
}
