import type { TrainingReference } from './drift.ts';
import type { ColumnSelector } from './columns.ts';
import type { ExplanationDetail } from './explanation.ts';
import type { VerificationReport } from './export-report.ts';

/**
 * What travels along an edge. Every value is plain data (numbers, strings, typed arrays, nested
 * objects), so the executor can store it in the on-disk cache and the host can send it to the UI.
 * Tables never travel as rows: a TableRef names a Parquet file that DuckDB reads directly.
 */
export type PortType = 'table' | 'model' | 'metrics' | 'explanation' | 'artifact';

export type ColumnType = 'number' | 'integer' | 'boolean' | 'string' | 'date' | 'timestamp' | 'other';

export interface ColumnSchema {
  name: string;
  /** Our coarse type, what the inspector and column pickers filter on. */
  type: ColumnType;
  /** DuckDB's own type name, e.g. DOUBLE, BIGINT, VARCHAR, TIMESTAMP. */
  dbType: string;
}

/** Hidden column present in every table file: the row's identity since its source (0-based). */
export const ROW_ID = '__row';

/**
 * One row-wise step of a table's recipe. `state` is what the step learned from the
 * rows that reached it (used for preview); a Train node re-fits every step on its training rows.
 */
export interface RecipeStep {
  /** Node that added the step; the error messages and the export report name it. */
  nodeId: string;
  /** Step kind understood by core/ml/prep, e.g. "impute", "scale", "onehot". */
  kind: string;
  /** The params as fitted: column selections resolved to names. */
  params: Record<string, unknown>;
  /**
   * Column selectors the node was given (param name → selector, e.g. columns: {"type": "numeric"}),
   * resolved again against the rows each time the step is re-fitted; `params` holds what they
   * resolved to at the last fit.
   */
  selectors?: Record<string, ColumnSelector>;
  /** Columns the step reads and the columns it writes (may overlap when it replaces in place). */
  inputs: string[];
  outputs: string[];
  /** Can it run inside the served model (ONNX / Docker)? */
  exportable: boolean;
  state?: unknown;
  /** Added by Train's automatic preparation (core/ml/auto-prep.ts), not by a node of its own. */
  auto?: boolean;
}

export interface Recipe {
  /**
   * The table as it was before the first row-wise step, with its ROW_ID column. Train re-reads
   * its training rows from here (by ROW_ID) and re-fits `steps` on them alone. null = no steps.
   */
  base: { path: string; columns: ColumnSchema[] } | null;
  steps: RecipeStep[];
}

export const EMPTY_RECIPE: Recipe = Object.freeze({ base: null, steps: [] }) as Recipe;

export interface TableRef {
  kind: 'table';
  /** Absolute path of a Parquet file (visible columns + ROW_ID, stored or implied by file order: read it with relation()). */
  path: string;
  columns: ColumnSchema[];
  rowCount: number;
  recipe: Recipe;
}

export type Task = 'binary' | 'multiclass' | 'regression' | 'clustering' | 'anomaly';

/** A fitted recipe plus a fitted estimator: maps raw input columns to a prediction. */
/**
 * Version of the fitted states' in-memory layout (ModelValue.estimator.state), part of every
 * cache key (core/exec/executor.ts): a model cached by a Flowline that laid its state out
 * differently is fitted again, never misread. 2: compact trees (one child offset per node, leaf
 * values once per leaf). 3: leaves with equal values share them; exact covers in float32,
 * features in 16 bits.
 */
export const MODEL_STATE_LAYOUT = 3;

export interface ModelValue {
  kind: 'model';
  task: Task;
  target: string | null;
  classes?: (string | number)[];
  /** Raw columns the model reads (what ONNX inputs and the serving API will expose). */
  inputColumns: ColumnSchema[];
  /** Recipe steps re-fitted on the training rows. */
  recipe: RecipeStep[];
  /** Column names of the numeric matrix the estimator sees, in order. */
  features: string[];
  /** `state`'s layout is MODEL_STATE_LAYOUT's. */
  estimator: { kind: string; params: Record<string, unknown>; state: unknown };
  /**
   * The Train node and its training rows; `dataFingerprint` (sha256 of the raw training rows the
   * model read, see trainModel) identifies the data in exported models. Absent on older models.
   */
  trainedOn: { nodeId: string; rows: number; dataFingerprint?: string };
  /**
   * A few raw training rows (the input columns, evenly spaced, at most 64): what ONNX export
   * verifies on when no held-out rows are given, and example requests for a served model.
   */
  sample?: { rows: number; columns: Record<string, Float64Array | (string | null)[]>; types: Record<string, ColumnType> };
  /** Per-column summaries of the raw training rows, for drift checks (core/spec/drift.ts). Absent on older models. */
  reference?: TrainingReference;
}

/** One chart spec, rendered by the studio and (later) by the CLI's HTML report. */
export type ChartSpec =
  | {
      kind: 'line';
      id: string;
      title: string;
      /** `categories`: x values are positions 0..n-1 labelled with these (a category column's PDP). */
      x: { label: string; min?: number; max?: number; categories?: string[] };
      y: { label: string; min?: number; max?: number };
      /** `faint`: a thin grey line among many (ICE curves), left out of the legend. */
      series: { name: string; points: [number, number][]; dashed?: boolean; faint?: boolean }[];
    }
  | {
      kind: 'bar';
      id: string;
      title: string;
      categories: string[];
      /** `errors`: ± half-widths drawn as whiskers (e.g. one standard deviation). */
      series: { name: string; values: number[]; errors?: number[] }[];
      horizontal?: boolean;
      /** Axis label of the values. */
      valueLabel?: string;
    }
  | { kind: 'heatmap'; id: string; title: string; rows: string[]; cols: string[]; values: number[][]; rowLabel?: string; colLabel?: string }
  | { kind: 'histogram'; id: string; title: string; bins: { x0: number; x1: number; count: number }[] }
  | {
      /** One row of dots per column: x = attribution, colour = the row's value (low blue → high red; grey = a category). */
      kind: 'beeswarm';
      id: string;
      title: string;
      xLabel: string;
      rows: { label: string; points: { x: number; colour: number | null; tip: string }[] }[];
    }
  | {
      /** base + each step = output, drawn as a running total on a labelled scale. */
      kind: 'waterfall';
      id: string;
      title: string;
      scale: string;
      base: number;
      output: number;
      steps: { label: string; value: number }[];
      /** Shown under the chart, e.g. that LIME's total is its surrogate's, not the model's. */
      note?: string;
    }
  | {
      kind: 'scatter';
      id: string;
      title: string;
      x: { label: string; categories?: string[] };
      y: { label: string };
      points: { x: number; y: number; tip?: string }[];
    };

export interface ResultTable {
  id: string;
  title: string;
  columns: string[];
  rows: (string | number | boolean | null)[][];
}

export interface MetricsValue {
  kind: 'metrics';
  /** The model task the figures belong to; absent for data summaries (Profile). */
  task?: Task;
  /** Which rows the figures describe: "train", "test", "cv", "tuning", "profile"... */
  scope: string;
  /** snake_case metric names: accuracy, f1, roc_auc, rmse, ... */
  values: Record<string, number>;
  /** Spread across folds, for cross-validation. */
  std?: Record<string, number>;
  charts: ChartSpec[];
  tables: ResultTable[];
}

export interface ExplanationValue {
  kind: 'explanation';
  method: string;
  /** Default charts (what a static report shows); the studio redraws them from `detail`. */
  charts: ChartSpec[];
  tables: ResultTable[];
  /** The numbers behind the charts (core/spec/explanation.ts), for choosing a row, class or view. */
  detail?: ExplanationDetail;
}

export interface ArtifactValue {
  kind: 'artifact';
  /** Absolute path of the file or folder the run wrote. */
  path: string;
  format: string;
  /** size + mtime recorded when written; the cache re-runs the node if the file changed since. */
  fingerprint?: string;
  /** An exported model's check against the app's own predictions (shown by the run report). */
  verification?: VerificationReport;
}

export type PortValue = TableRef | ModelValue | MetricsValue | ExplanationValue | ArtifactValue;

export interface PortValueOf {
  table: TableRef;
  model: ModelValue;
  metrics: MetricsValue;
  explanation: ExplanationValue;
  artifact: ArtifactValue;
}
