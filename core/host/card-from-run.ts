/**
 * A model card's parts for an export a host makes from a pipeline run (`flowline export onnx`,
 * `flowline export docker`, the studio's Export dialog): what the run produced, plus its recorded
 * lineage (pipeline hash, data files) from the run log. The export nodes build theirs from their
 * RunContext instead (core/export/card/model-card.ts `cardPartsOf`).
 */
import type { Pipeline } from '../schema/pipeline.ts';
import type { PortValue, ModelValue } from '../spec/values.ts';
import { cardPartsFromRun } from '../export/card/from-pipeline.ts';
import type { CardParts } from '../export/card/model-card.ts';
import { RunStore } from './runs/run-store.ts';

export async function cardPartsOfRun(
  pipeline: Pipeline,
  run: { runId: string; runsDir: string; nodes: { id: string; outputs?: Record<string, PortValue> }[] },
  nodeId: string,
  model: ModelValue,
  artifact: string,
): Promise<CardParts> {
  // A run that could not be recorded still gets a card, without the recorded lineage.
  const record = await new RunStore(run.runsDir).get(run.runId).catch(() => null);
  const info = { id: run.runId, ...(record ? { pipelineHash: record.pipeline.hash, data: record.data } : {}), gates: pipeline.gates ?? [] };
  return cardPartsFromRun(pipeline, run, nodeId, model, artifact, info);
}
