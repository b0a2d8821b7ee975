import type { Frame } from '../frame.ts';

/**
 * One kind of recipe step. `fit` learns from the rows in `rowIndex` (all rows when absent) and
 * nothing else; `apply` transforms every row of a frame with what was learned. Both are pure and
 * deterministic (fixed summation order, no DuckDB aggregates), so a rerun is bit-identical.
 *
 * `state` is self-contained plain data (numbers, strings, arrays): `apply` needs nothing else,
 * and it can be stored in a model file or sent to a worker.
 */
export interface StepKind<P = Record<string, unknown>, S = unknown> {
  kind: string;
  /** Can the fitted step be written as ONNX ops? (see the kind's file for why not, when not) */
  exportable: boolean;
  fit(frame: Frame, params: P, rowIndex?: Uint32Array): S;
  apply(state: S, frame: Frame): Frame;
  /**
   * Fit, then transform the same frame as a training pipeline would. Differs from fit + apply only
   * where scikit-learn's fit_transform does (target encoding's out-of-fold values).
   */
  fitApply?(frame: Frame, params: P, rowIndex?: Uint32Array): { state: S; frame: Frame };
  /** Columns the step reads and writes, once fitted (one-hot outputs depend on the categories). */
  io(params: P, state: S | undefined): { inputs: string[]; outputs: string[] };
  /**
   * The input(s) each output is made from, where `io` cannot tell (several inputs, new output
   * names: one-hot, date parts, hashing). Explanations sum such outputs' attributions back to the
   * raw column. Absent: an output named like an input comes from it, else from every input.
   */
  lineage?(params: P, state: S): Record<string, string[]>;
  /** Columns it drops (inputs replaced by new outputs, e.g. one-hot). */
  drops?(params: P): string[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyStepKind = StepKind<any, any>;
