/**
 * The training reference every trained (and exported) model carries: per-column summaries of its
 * training rows, what drift checks compare new rows with (core/ml/drift, docs/lifecycle.md).
 * Plain JSON types, so the exported model metadata and the studio can hold them.
 */

export const REFERENCE_FORMAT = 'flowline.training-reference';

/** A number, integer, boolean, date or timestamp column (dates as epoch ms). */
export interface NumericReference {
  kind: 'number';
  column: string;
  /** Rows, missing included. */
  count: number;
  missing: number;
  mean: number;
  std: number;
  min: number;
  max: number;
  /**
   * Sorted values the KS and Wasserstein statistics are computed against: every non-missing
   * training value when there are at most REFERENCE_SKETCH of them, else that many quantiles
   * (evenly spaced ranks).
   */
  sketch: number[];
  /** Interior edges of the PSI bins (training deciles, duplicates dropped); bins are right-closed. */
  edges: number[];
  /** Share of the non-missing training values in each bin (edges.length + 1 of them). */
  proportions: number[];
}

/** A text column. */
export interface CategoryReference {
  kind: 'category';
  column: string;
  count: number;
  missing: number;
  /** Non-missing rows per value; past the most frequent REFERENCE_TOP values, the rest under OTHER. */
  counts: Record<string, number>;
}

export interface TrainingReference {
  format: typeof REFERENCE_FORMAT;
  version: 1;
  rows: number;
  columns: (NumericReference | CategoryReference)[];
  /**
   * The model's own predictions on its training rows, as column "prediction": the class labels
   * (a category) for classifiers and clusterings, the values (a number) for regression and
   * anomaly scores. Absent when not known.
   */
  prediction?: NumericReference | CategoryReference;
}

export const REFERENCE_SKETCH = 500;
export const REFERENCE_TOP = 100;
/** The bucket of categories past the top ones (and of categories never seen in training). */
export const OTHER_CATEGORY = '(other)';
/** The name the prediction distribution goes by in references and drift reports. */
export const PREDICTION_COLUMN = 'prediction';
