/**
 * A node's preview fit, run on a worker thread (ctx.runInWorker) so a million-row fit does not
 * stall the host's event loop. Returns only what changed, so unchanged columns never travel back.
 */
import { frameChanges, type Frame, type FrameColumn } from '../frame.ts';
import type { ColumnType } from '../../spec/index.ts';
import { defineWorkerTask } from '../../spec/worker-task.ts';
import { fitApplyStep, stepKind } from './fit.ts';

export interface FitStepPayload {
  kind: string;
  nodeId: string;
  params: Record<string, unknown>;
  frame: Frame;
}

export interface FitStepResult {
  state: unknown;
  changed: Record<string, FrameColumn>;
  types: Record<string, ColumnType>;
  dropped: string[];
}

export const fitStepTask = defineWorkerTask('prep.fitStep', (payload: FitStepPayload): FitStepResult => {
  const kind = stepKind({ kind: payload.kind, nodeId: payload.nodeId });
  const { state, frame } = fitApplyStep(kind, payload.frame, payload.params);
  const { changed, dropped } = frameChanges(payload.frame, frame);
  const types = Object.fromEntries(Object.keys(changed).map((n) => [n, frame.types[n]]));
  return { state, changed, types, dropped };
});
