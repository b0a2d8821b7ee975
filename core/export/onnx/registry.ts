/**
 * Which recipe step kinds and learners have an ONNX form, and, for those that do not, why and
 * what the user can do instead (quoted in the refusal, by node).
 */
import type { RecipeStep } from '../../spec/values.ts';
import type { ColumnSet } from './columns.ts';
import type { OnnxGraph } from './graph.ts';
import type { EstimatorEmitter } from './estimators/types.ts';
import { emitCast, emitClip, emitDiscretize, emitImpute, emitPower, emitScale, emitSelect } from './steps/numeric.ts';
import { emitGroupAgg, emitOneHot, emitOrdinal, emitPca, emitTargetEncode } from './steps/encode.ts';
import { emitFormula } from './steps/formula.ts';
import { emitLinearRegression, emitLinearSvm, emitLogistic } from './estimators/linear.ts';
import { emitTrees } from './estimators/trees.ts';
import { emitGaussianNb, emitKmeans, emitKnn } from './estimators/distance.ts';
import { emitMlp } from './estimators/mlp.ts';

export type StepEmitter = (g: OnnxGraph, cols: ColumnSet, step: RecipeStep) => void;

export const STEPS: Record<string, StepEmitter> = {
  impute: emitImpute,
  scale: emitScale,
  outliers_clip: emitClip,
  discretize: emitDiscretize,
  power: emitPower,
  cast: emitCast,
  select_features: emitSelect,
  onehot: emitOneHot,
  ordinal: emitOrdinal,
  target_encode: emitTargetEncode,
  group_agg: emitGroupAgg,
  pca: emitPca,
  formula: emitFormula,
};

export const UNEXPORTABLE_STEPS: Record<string, { what: string; reason: string; instead: string }> = {
  hashing: {
    what: 'Encode Categories, hashing',
    reason: 'standard ONNX has no string hash operator',
    instead: 'use one-hot or target encoding for the column, or move the hashing before the split as a table step',
  },
  date_parts: {
    what: 'Date Parts',
    reason: 'ONNX has no calendar operators, and the served model would have to parse dates',
    instead: 'compute the date parts before the split (e.g. in a SQL node), so the model receives them as columns',
  },
  text_features: {
    what: 'Text Features',
    reason: "standard ONNX has no regular-expression tokeniser, no character n-grams and no string hash (onnxruntime's Tokenizer is a com.microsoft contrib operator, which Flowline's targets avoid)",
    instead: 'score text with the Predict node or flowline run, or compute the text columns before the model and send them to the served model as numbers',
  },
  split_text: {
    what: 'Split Text',
    reason: "ONNX's string split needs opset 20, newer than the default target",
    instead: 'split the text before the split node (e.g. in a SQL node), so the model receives the parts as columns',
  },
};

export const ESTIMATORS: Record<string, EstimatorEmitter> = {
  linear_regression: emitLinearRegression,
  ridge: emitLinearRegression,
  lasso: emitLinearRegression,
  logistic_regression: emitLogistic,
  linear_svm: emitLinearSvm,
  knn: emitKnn,
  gaussian_nb: emitGaussianNb,
  mlp: emitMlp,
  kmeans: emitKmeans,
  decision_tree: emitTrees,
  random_forest: emitTrees,
  hist_gradient_boosting: emitTrees,
  isolation_forest: emitTrees,
};
