/**
 * A model as a function of raw rows (recipe replay + learner), for the methods that change raw
 * columns: permutation importance and partial dependence. Pure (no DuckDB), so worker threads
 * load it cheaply.
 */
import type { ModelValue, Task } from '../../spec/values.ts';
import { frameToMatrix, type Frame } from '../frame.ts';
import { learnerByKind } from '../learners/index.ts';
import type { Matrix, Prediction } from '../learners/types.ts';
import { applyRecipe } from '../prep/fit.ts';

export interface RawModel {
  recipe: ModelValue['recipe'];
  features: string[];
  kind: string;
  task: Task;
  state: unknown;
}

export function rawModelOf(model: ModelValue): RawModel {
  return { recipe: model.recipe, features: model.features, kind: model.estimator.kind, task: model.task, state: model.estimator.state };
}

export function matrixOf(model: RawModel, raw: Frame): Matrix {
  return frameToMatrix(applyRecipe(model.recipe, raw), model.features);
}

export function predictRaw(model: RawModel, raw: Frame): Prediction {
  return learnerByKind(model.kind).predict(model.state, matrixOf(model, raw));
}

/** The frame with one column's values replaced (same type). */
export function withColumn(frame: Frame, column: string, values: Frame['columns'][string]): Frame {
  return { rows: frame.rows, columns: { ...frame.columns, [column]: values }, types: frame.types };
}
