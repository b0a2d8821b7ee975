import type { ModelValue } from '../../../spec/values.ts';
import type { OnnxGraph } from '../graph.ts';

/** What an estimator reads: its features in model.features order. */
export interface EstimatorInput {
  /** Each feature as a double [N, 1] tensor. */
  columns: string[];
  /** All features as one double [N, F] tensor (concatenated on first use). */
  matrix(): string;
}

/** Tensors an estimator produces; the builder turns them into the graph outputs. */
export interface EstimatorOutputs {
  /** Classification: class index, int64 [N, 1]. */
  labelIndex?: string;
  /** Classification: double [N, k]. */
  proba?: string;
  /** Regression value or anomaly score: double [N, 1]. */
  value?: string;
  /** Clustering: cluster index int64 [N, 1] and distances to every centre double [N, k]. */
  cluster?: string;
  distances?: string;
}

export type EstimatorEmitter = (g: OnnxGraph, input: EstimatorInput, model: ModelValue) => EstimatorOutputs;
