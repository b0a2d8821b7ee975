import type { z } from 'zod';
import type { Task } from '../../spec/values.ts';

/**
 * A dense numeric design matrix: row-major Float64Array of n × p, NaN for missing.
 * Learners receive only this (the recipe has already turned raw columns into numbers).
 */
export interface Matrix {
  data: Float64Array;
  rows: number;
  cols: number;
}

export interface FitData {
  X: Matrix;
  /** Regression: the target. Classification: class index 0..k-1 as a float. Absent for clustering/anomaly. */
  y?: Float64Array;
  sampleWeight?: Float64Array;
  /** Number of classes for classification tasks. */
  nClasses?: number;
  featureNames: string[];
}

export interface FitOptions {
  task: Task;
  seed: number;
  /** fraction in [0, 1]. */
  progress?: (fraction: number, message?: string) => void;
  /** Checked between iterations; throw to stop. */
  checkCancelled?: () => void;
  /**
   * Threads this fit may use besides its own (default 1: fits that run side by side, as
   * cross-validation folds and tuning trials do, must not oversubscribe the cores). Train's single
   * fit passes the core count.
   */
  threads?: number;
}

export interface Prediction {
  /** Regression: value. Classification: class index. Clustering: cluster id. Anomaly: score. */
  values: Float64Array;
  /** Classification: n × k row-major class probabilities. */
  proba?: Float64Array;
}

/**
 * One learner. `state` is plain data (numbers, typed arrays, nested objects) so that it can be
 * cached, sent between threads with structured clone, and read by ONNX export and SHAP.
 */
export interface Learner<P extends z.ZodObject = z.ZodObject, S = unknown> {
  /** Stable id stored in models, e.g. "hist_gradient_boosting". */
  kind: string;
  title: string;
  tasks: Task[];
  /** Params with defaults matching scikit-learn 1.2 where the method exists there. */
  params: P;
  fit(data: FitData, params: z.infer<P>, options: FitOptions): S;
  predict(state: S, X: Matrix): Prediction;
  /**
   * Optional: the fit as independent units (a forest's trees) that the Train node spreads over
   * several worker threads. `fit` must give exactly the state that this split gives.
   */
  unitFit?: UnitFit<z.infer<P>, S>;
}

/**
 * A fit made of independent units: prepare once, grow any ranges of units (on any thread, in any
 * grouping), assemble them in unit order. For every grouping,
 * assemble(shared, [fitUnits(shared, 0, k), fitUnits(shared, k, units)].flat()) equals fit().
 * `shared` and the units are plain data (structured-cloned between threads).
 */
export interface UnitFit<P = unknown, S = unknown, Shared = unknown, Unit = unknown> {
  prepare(data: FitData, params: P, options: FitOptions): { shared: Shared; units: number };
  /** Units [from, to) in order; `onUnit(done so far in this call)` after each one (progress, cancellation). */
  fitUnits(shared: Shared, from: number, to: number, onUnit?: (done: number) => void): Unit[];
  /** The fitted state from all units in order (runs on the calling thread: keep it cheap). */
  assemble(shared: Shared, units: Unit[]): S;
}

/**
 * A tree as flat typed arrays, compact: one entry per node (split or leaf) for the split and its
 * cover, and the leaf values once per leaf. A split's two children are adjacent: `child` is the
 * left one and the right one is child + 1 (32-bit offsets, no second link). A leaf has
 * feature = -1 and `child` = its leaf number k, its values at value[k × valueWidth ...].
 * Rule: go left when x[feature] <= threshold, or when x is NaN and missingLeft = 1.
 * Code outside the tree learners reads trees through ensembleView (tree/ensemble-view.ts).
 */
export interface FlatTree {
  /** -1 on a leaf; 16 bits when every feature number fits (FlatTreeBuilder.finish). */
  feature: Int16Array | Int32Array;
  /** float64: a split compares exactly as the data it was chosen on. */
  threshold: Float64Array;
  /** Split: its left child's node number (right = child + 1). Leaf: the slot of its values in `value` (leaves with equal values share one). */
  child: Int32Array;
  missingLeft: Uint8Array;
  /** Training samples (or hessian sum for boosting) that reached the node: TreeSHAP's cover. float32 only where every cover is exactly a float32. */
  cover: Float32Array | Float64Array;
  /** slots × valueWidth: class proportions (classification), mean (regression) or raw leaf score. */
  value: Float64Array;
  valueWidth: number;
}
