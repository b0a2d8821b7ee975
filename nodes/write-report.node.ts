import { z } from 'zod';
import { resolveDataPath } from '../core/data/files.ts';
import { fileFingerprint } from '../core/data/tables.ts';
import { FLOWLINE_VERSION } from '../core/export/version.ts';
import { renderReportTask } from '../core/report/render-task.ts';
import { defineNode, param } from '../core/spec/index.ts';

export const writeReportNode = defineNode({
  type: 'export.report',
  version: 1,
  title: 'Report',
  category: 'Export',
  description: 'Write one self-contained HTML report of what is wired into it: a profile of each table, metrics and charts, explanations, exported files. It opens offline and prints cleanly to PDF.',
  help: {
    text:
      'Writes one HTML file that anyone can open in a browser, offline: a profile of each table wired in (columns, missing values, histograms), the figures, charts and tables of each Evaluate, Cross-validate, Tune or Compare, the charts of each Explain, and each exported file with its verification. Charts are drawn by the same code as the studio\'s Results tab. The file is replaced only once writing has succeeded.\n\nFor a report of a whole run (with the pipeline diagram, every node\'s params, data fingerprints and the pipeline hash), use `flowline run FILE --report report.html`.',
    example: 'Load CSV → tables, Evaluate → metrics, Explain → explanations, path report.html → a report to send to someone who will never open Flowline.',
  },
  inputs: {
    tables: { type: 'table', label: 'Tables to profile', required: false, multiple: true },
    metrics: { type: 'metrics', label: 'Metrics', required: false, multiple: true },
    explanations: { type: 'explanation', label: 'Explanations', required: false, multiple: true },
    files: { type: 'artifact', label: 'Exported files', required: false, multiple: true },
  },
  outputs: { file: { type: 'artifact', label: 'HTML report' } },
  params: z.object({
    path: param.file('Where to save the report, relative to the pipeline file', { save: true, filters: [{ name: 'HTML', extensions: ['html'] }] }).default('report.html'),
    title: z.string().default('Flowline report').describe('Heading of the report'),
  }),
  exportable: false,
  writes: (p) => [p.path],
  summary: (p) => p.path,
  async run({ inputs, params, ctx }) {
    const abs = resolveDataPath(ctx, params.path);
    const { writeInputsReport } = await import('../core/report/node-report.ts');
    // Drawing the charts takes a good part of a second: on the worker pool, not the studio's process.
    const render = (input: Parameters<typeof renderReportTask.run>[0]) => ctx.runInWorker(renderReportTask, input);
    const sections = await writeInputsReport(abs, { title: params.title, flowlineVersion: FLOWLINE_VERSION, inputs, sources: ctx.inputSources, nodeId: ctx.nodeId, run: ctx.run, render });
    ctx.log(`Wrote ${abs}: ${sections}.`);
    return { file: { kind: 'artifact', path: abs, format: 'html', fingerprint: await fileFingerprint(abs) } };
  },
});
