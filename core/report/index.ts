export { renderRunReport, chartRenderer, type ReportInput } from './render-report.ts';
export { reportOfRun, sectionsOf, type FinishedRun, type NodeValues } from './from-run.ts';
export { writeReportFile } from './write-report.ts';
export { dataTable, esc, facts, figures, fmtDuration, fmtNumber, page, section } from './html.ts';
export { diagramSvg, type Diagram, type DiagramNode } from './diagram.ts';
export { writeInputsReport, type ReportNodeInputs } from './node-report.ts';
export { modelCardHtml, modelCardMarkdown, writeModelCard } from './model-card.ts';
export { renderReportTask } from './render-task.ts';
