import type { z } from 'zod';
import type { ColumnType } from '../../spec/index.ts';
import type { Frame } from '../frame.ts';

/**
 * One kind of recipe step. `fit` learns from the rows in `rowIndex` (all rows when absent) and
 * nothing else; `apply` transforms every row of a frame with what was learned. Both are pure and
 * deterministic (fixed summation order, no DuckDB aggregates), so a rerun is bit-identical.
 *
 * `state` is self-contained plain data (numbers, strings, arrays): `apply` needs nothing else,
 * and it can be stored in a model file or sent to a worker.
 */
export interface StepKind<P = Record<string, unknown>, S = unknown, Schema extends z.ZodObject = z.ZodObject> {
  kind: string;
  /** The node that adds this step, in the user's words ("Scale Features"); errors name it. */
  title: string;
  /**
   * The step's params, declared once: the node that adds the step reuses this schema for its form,
   * validation and docs. Column lists may be selectors (param.selection); `fit` receives them
   * resolved to names (P is the resolved type, see core/ml/prep/selections.ts).
   */
  params: Schema;
  /**
   * Column types the step's `columns` may hold for these params, when it depends on them (impute's
   * mean takes numbers only, most_frequent text too); default: the param's ui types. A selector
   * picks among these.
   */
  accepts?(params: P): ColumnType[];
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
export type AnyStepKind = StepKind<any, any, z.ZodObject>;
