import { basename, isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { exportDockerTask } from '../core/export/serving/export-docker.ts';
import { defineNode, param } from '../core/spec/index.ts';
import { cardParams, cardText } from '../core/export/card/card-params.ts';
import { BUNDLE_CARD, cardPartsOf, modelCard } from '../core/export/card/model-card.ts';
import { modelCardHtml, modelCardMarkdown } from '../core/report/index.ts';

export const exportDockerNode = defineNode({
  type: 'export.docker',
  version: 1,
  title: 'Export Docker',
  category: 'Export',
  description:
    'Write a serving bundle: the verified ONNX model with a small server (Open Inference Protocol v2, MLflow /invocations, /predict, Prometheus /metrics), a Dockerfile, an OpenAPI document, golden requests and a model card. Connect a challenger model to compare two models (A/B, canary or shadow).',
  help: {
    text:
      'Writes a folder you can build into a Docker image that serves the model: the model as a verified ONNX file, a small server that answers the Open Inference Protocol v2 (KServe), MLflow\'s /invocations and a plain /predict on one port, Prometheus metrics, a Dockerfile, an OpenAPI document and example requests with their expected answers. A request it cannot score gets a 422 answer with the reason; unknown category and extra fields set how strict it is.\n\nConnect a challenger model to serve two models side by side: ab splits the traffic, canary also falls back to the champion when the challenger fails, shadow scores both and answers with the champion.',
    example: 'The model of Train Model and the test rows, folder serving → serving/ with model.onnx, the server, a Dockerfile and openapi.json; build it with docker build and POST rows to /predict.',
  },
  inputs: {
    model: { type: 'model', label: 'Champion model' },
    rows: { type: 'table', label: 'Held-out rows' },
    challenger: { type: 'model', label: 'Challenger model', required: false },
    metrics: { type: 'metrics', label: 'Metrics for the model card', required: false },
    explanation: { type: 'explanation', label: 'Explanation for the model card', required: false },
  },
  outputs: { bundle: { type: 'artifact', label: 'Bundle folder' } },
  params: z.object({
    folder: param.file('Folder to write the bundle to, relative to the pipeline file (an earlier bundle there is replaced)', { save: true }),
    routing: z.enum(['ab', 'canary', 'shadow']).default('ab').describe('With a challenger: ab splits traffic, canary also falls back to the champion on failure, shadow scores both and answers with the champion'),
    challenger_percent: z.number().min(0).max(100).default(10).describe('Share of requests (%) the challenger answers in ab and canary mode'),
    unknown_category: z.enum(['accept', 'reject']).default('accept').describe('A text value the model never saw: score it as unseen, or answer 422'),
    extra_fields: z.enum(['ignore', 'reject']).default('ignore').describe('Fields the model does not read: ignore them, or answer 422'),
    max_rows: z.number().int().min(1).default(10_000).describe('Most rows in one request'),
    exact: z.boolean().default(false).describe('ONNX opset 21 in double throughout (needs onnxruntime 1.20+): the app\'s numbers bit for bit'),
    ...cardParams,
  }),
  exportable: false,
  summary: (p) => p.folder,
  async run({ inputs, params, ctx }) {
    const out = isAbsolute(params.folder) ? params.folder : join(ctx.pipelineDir, params.folder);
    const rowsFrom = ctx.inputSources?.rows?.[0] ?? 'the connected table';
    // The champion's model card goes inside the bundle (and its zip), beside its model.
    const card = modelCard(cardPartsOf(ctx, { model: inputs.model, metrics: inputs.metrics, explanation: inputs.explanation, card: cardText(params) }, `${basename(out)}/model.onnx`));
    const result = await ctx.runInWorker(exportDockerTask, {
      out,
      extraFiles: { [BUNDLE_CARD.markdown]: modelCardMarkdown(card), [BUNDLE_CARD.html]: await modelCardHtml(card) },
      champion: { model: inputs.model, heldOut: { table: inputs.rows, source: `rows from node "${rowsFrom}"` } },
      ...(inputs.challenger ? { challenger: { model: inputs.challenger, heldOut: { table: inputs.rows, source: `rows from node "${rowsFrom}"` }, name: `${inputs.challenger.trainedOn.nodeId}` } } : {}),
      routing: { mode: inputs.challenger ? params.routing : 'single', challengerPercent: params.challenger_percent },
      validation: { unknownCategory: params.unknown_category, extraFields: params.extra_fields, maxRows: params.max_rows },
      target: params.exact ? 'exact' : 'default',
    });
    for (const m of result.manifest.models) ctx.log(`${m.role} ${m.name} version ${m.version}: ${m.task}, ${m.inputs.length} input columns.`);
    ctx.log(`Wrote ${result.dir} (${result.files.length} files)${result.zip ? ` and ${basename(result.zip)}` : ''}.`);
    return { bundle: { kind: 'artifact', path: result.dir, format: 'docker-bundle' } };
  },
});
