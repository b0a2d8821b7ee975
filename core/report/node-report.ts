/** The Report node's report: the values wired into it, named by the nodes they come from. */
import { FlowlineError } from '../spec/errors.ts';
import type { ArtifactValue, ExplanationValue, MetricsValue, PortValue, TableRef } from '../spec/values.ts';
import { sectionsOf, type NodeValues } from './from-run.ts';
import type { ReportInput } from './render-report.ts';
import { writeReportFile } from './write-report.ts';

export interface ReportNodeInputs {
  tables?: TableRef[];
  metrics?: MetricsValue[];
  explanations?: ExplanationValue[];
  files?: ArtifactValue[];
}

/** Writes the report to `path` (absolute); returns what it holds, in words, for the node's log. */
export async function writeInputsReport(
  path: string,
  args: {
    title: string;
    flowlineVersion: string;
    inputs: ReportNodeInputs;
    sources?: Readonly<Record<string, readonly string[]>>;
    nodeId: string;
    /** The run that writes the report (RunContext.run): its pipeline hash and data fingerprints. */
    run?: { id: string; pipelineHash?: string; data?: ReportInput['data'] };
    /** Renders the page (the node passes the worker pool's renderReportTask). */
    render: (input: ReportInput) => Promise<string>;
  },
): Promise<string> {
  const nodes: NodeValues[] = [];
  for (const port of ['tables', 'metrics', 'explanations', 'files'] as const) {
    (args.inputs[port] ?? []).forEach((value: PortValue, i) => {
      const from = args.sources?.[port]?.[i] ?? `${port} ${i + 1}`;
      nodes.push({ nodeId: from, label: from, isSource: port === 'tables', values: [value] });
    });
  }
  if (nodes.length === 0) {
    throw new FlowlineError({ code: 'MISSING_INPUT', nodeId: args.nodeId, message: 'The report has nothing to show: no table, metrics, explanation or file is wired into it.', hint: 'Connect an Evaluate, an Explain, a table or an export to the Report node.' });
  }
  const sections = await sectionsOf(nodes);
  const html = await args.render({ title: args.title, flowlineVersion: args.flowlineVersion, generatedAt: new Date().toISOString(), ...sections, pipelineHash: args.run?.pipelineHash, params: [], data: args.run?.data ?? [] });
  await writeReportFile(path, html, args.nodeId);
  const counts = [
    [sections.sources.length, 'table profile'],
    [sections.results.length, 'set of metrics', 'sets of metrics'],
    [sections.explanations.length, 'explanation'],
    [sections.exports.length, 'exported file'],
  ] as const;
  return counts.filter(([n]) => n > 0).map(([n, one, many]) => `${n} ${n === 1 ? one : (many ?? `${one}s`)}`).join(', ');
}
