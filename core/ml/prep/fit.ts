/**
 * Looking up a step kind and fitting one step — pure (no DuckDB), so worker threads can load it
 * cheaply. core/ml/recipe.ts re-exports these.
 */
import { FlowlineError, type RecipeStep } from '../../spec/index.ts';
import type { Frame } from '../frame.ts';
import { STEP_KINDS } from './index.ts';
import type { AnyStepKind } from './types.ts';

export function stepKind(step: Pick<RecipeStep, 'kind' | 'nodeId'>): AnyStepKind {
  const kind = STEP_KINDS[step.kind];
  if (!kind) {
    throw new FlowlineError({
      code: 'INTERNAL',
      nodeId: step.nodeId,
      message: `This pipeline's recipe has a step of kind "${step.kind}" (from node '${step.nodeId}') that this version of Flowline does not know.`,
      hint: 'Open the pipeline with the Flowline version that created it, or re-run the node.',
    });
  }
  return kind;
}

/** Fit one step and transform the frame as a training pipeline would. */
export function fitApplyStep(kind: AnyStepKind, frame: Frame, params: Record<string, unknown>, rowIndex?: Uint32Array): { state: unknown; frame: Frame } {
  if (kind.fitApply) return kind.fitApply(frame, params, rowIndex);
  const state = kind.fit(frame, params, rowIndex);
  return { state, frame: kind.apply(state, frame) };
}

/** Runs fn; an error it throws is pinned to the step's node. */
export function withStepNode<T>(step: Pick<RecipeStep, 'nodeId'>, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof FlowlineError && !e.nodeId) e.nodeId = step.nodeId;
    throw e;
  }
}

/**
 * Transform every row of `frame` with fitted steps (what Evaluate / Predict / serving do).
 * `afterStep(i, frame)` sees the frame after step i (explanations read intermediate columns).
 */
export function applyRecipe(fitted: RecipeStep[], frame: Frame, afterStep?: (index: number, frame: Frame) => void): Frame {
  let current = frame;
  fitted.forEach((step, i) => {
    if (step.state === undefined) {
      throw new FlowlineError({ code: 'INTERNAL', nodeId: step.nodeId, message: `Recipe step '${step.nodeId}' (${step.kind}) has not been fitted.` });
    }
    const kind = stepKind(step);
    current = withStepNode(step, () => kind.apply(step.state, current));
    afterStep?.(i, current);
  });
  return current;
}
