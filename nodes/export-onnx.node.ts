import { z } from 'zod';
import { defineNode, param } from '../core/spec/index.ts';
import { exportModelFile } from '../core/export/onnx/save.ts';
import { basename } from 'node:path';
import { cardParams, cardText } from '../core/export/card/card-params.ts';
import { cardPathsBeside, cardPartsOf, modelCard } from '../core/export/card/model-card.ts';
import { writeModelCard } from '../core/report/index.ts';

export const exportOnnxNode = defineNode({
  type: 'export.onnx',
  version: 1,
  title: 'Export ONNX',
  category: 'Export',
  description:
    'Save the model — its feature steps and learner together — as one ONNX file that any ONNX runtime can score from the raw columns. Before writing, it runs the file on the held-out rows (plus rows with missing values and unseen categories) and refuses if it does not reproduce the app\'s predictions. A model card (Markdown and HTML) is written beside it.',
  help: {
    text:
      'Saves the trained model, its feature steps and its learner together, as one ONNX file that any ONNX runtime (Python, C#, Java, the browser) can score from the raw columns. Before writing, it runs the file on the held-out rows (plus rows with missing values and unseen categories) and refuses, naming the step, if the file does not reproduce the app\'s predictions.\n\nExact writes double-precision trees that match the app bit for bit but need onnxruntime 1.20 or later; off, the file runs everywhere and trees score in float32.',
    example: 'The model of Train Model and the test rows, path model.onnx → model.onnx, checked against the app’s predictions on those rows.',
  },
  inputs: {
    model: { type: 'model', label: 'Model' },
    table: { type: 'table', label: 'Held-out rows to verify on', required: false },
    metrics: { type: 'metrics', label: 'Metrics to record', required: false },
    explanation: { type: 'explanation', label: 'Explanation for the model card', required: false },
  },
  outputs: { file: { type: 'artifact', label: 'ONNX file' } },
  params: z.object({
    path: param.file('Where to save the model, relative to the pipeline file', { save: true, filters: [{ name: 'ONNX model', extensions: ['onnx'] }] }).default('model.onnx'),
    exact: z.boolean().default(false).describe('Exact target (opset 21 + ai.onnx.ml 5): double-precision trees, bit-identical to the app; needs onnxruntime 1.20 or later. Off: opset 17, runs everywhere, trees return float32.'),
    ...cardParams,
  }),
  exportable: false,
  summary: (p) => `${p.path}${p.exact ? ' (exact)' : ''}`,
  async run({ inputs, params, ctx }) {
    const file = await exportModelFile(ctx, { model: inputs.model, table: inputs.table, metrics: inputs.metrics, path: params.path, exact: params.exact });
    // The model card goes beside the file it describes (docs/lifecycle.md, "Model card").
    const card = cardPathsBeside(file.path);
    await writeModelCard(modelCard(cardPartsOf(ctx, { ...inputs, card: cardText(params) }, basename(file.path))), card, ctx.nodeId);
    ctx.log(`Wrote the model card ${basename(card.html)} and ${basename(card.markdown)} beside it.`);
    return { file };
  },
});
