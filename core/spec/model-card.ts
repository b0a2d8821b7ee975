/**
 * The model card written at export (docs/lifecycle.md, "Model card"), as plain data: what the
 * model is for and where it falls short (the export node's own fields), where it came from (data
 * files and their hashes, the pipeline hash, the run), how it scored (Evaluate's metrics and, with
 * a group column, per group), what drives it (an Explain node's top columns), which gates it
 * passed, and the summary of its training rows that drift checks compare with. Assembled by
 * core/export/card, rendered as Markdown and HTML by core/report/model-card.ts.
 */
import type { ExplanationSummary } from './explanation.ts';
import type { GateResult } from './gate-result.ts';
import type { RecordedDataFile } from './run-log.ts';
import type { ResultTable } from './values.ts';

/** The two fields a person writes: kept in the pipeline file as the export node's params. */
export interface CardText {
  intendedUse: string;
  limitations: string;
}

/** One column of the training reference, in words. */
export interface ReferenceLine {
  column: string;
  kind: 'number' | 'category';
  missingRate: number;
  /** "mean 1.2, std 0.4, range −3 … 5" or "Lyon 34.0%, Oslo 33.0%, … (3 values)". */
  summary: string;
}

export interface ModelCard {
  title: string;
  /** The exported file the card describes. */
  artifact: string;
  exportedAt: string;
  flowlineVersion: string;
  text: CardText;
  model: {
    task: string;
    target: string | null;
    learner: string;
    params: Record<string, unknown>;
    classes?: string[];
    inputs: { name: string; type: string }[];
    features: number;
    steps: { nodeId: string; kind: string }[];
  };
  lineage: {
    runId: string | null;
    pipelineHash: string | null;
    trainNode: string;
    trainingRows: number;
    /** sha256 of the raw training rows the model read. */
    trainingFingerprint: string | null;
    /** Every data file the run read, with its content hash. */
    sources: RecordedDataFile[];
  };
  metrics: { nodeId: string; scope: string; values: Record<string, number> } | null;
  /** Evaluate's per-group table, when it had a group column. */
  groups: ResultTable | null;
  explanation: (ExplanationSummary & { nodeId: string }) | null;
  /** null: the pipeline declares no gates. */
  gates: GateResult[] | null;
  reference: { rows: number; columns: ReferenceLine[]; prediction: ReferenceLine | null } | null;
}

/** Figures as the card prints them: six significant digits, integers whole. */
export const cardNumber = (v: number | null | undefined): string =>
  v === null || v === undefined || Number.isNaN(v) ? '–' : Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));

/** A reference line as a table row: column, kind, missing share, summary. */
const referenceRow = (r: ReferenceLine): string[] => [r.column, r.kind, `${(r.missingRate * 100).toFixed(1)}%`, r.summary];

/** The reference's rows, the prediction's last. */
export const referenceRows = (card: ModelCard): string[][] =>
  card.reference ? [...card.reference.columns.map(referenceRow), ...(card.reference.prediction ? [referenceRow({ ...card.reference.prediction, column: 'prediction (model output)' })] : [])] : [];

/** What the card says in each section when there is nothing to show. */
export function cardSentences(card: ModelCard) {
  const unwritten = (field: string) => `Not written yet: fill in “${field}” in the export node's settings (it is saved in the pipeline file).`;
  return {
    intended: card.text.intendedUse.trim() || unwritten('intended use'),
    intendedWritten: card.text.intendedUse.trim() !== '',
    limitations: card.text.limitations.trim() || unwritten('limitations'),
    limitationsWritten: card.text.limitations.trim() !== '',
    gatesNone: 'The pipeline declares no gates.',
    explanationNone: 'No Explain node explained this model in the run.',
    groupsNone: 'Evaluate had no group column: no per-group metrics.',
    metricsNone: 'No Evaluate metrics were connected to the export.',
    referenceNone: 'The model carries no training reference (trained by an older Flowline).',
    reference: card.reference ? `Summaries of the ${card.reference.rows} training rows, what flowline monitor and the Detect Drift node compare new rows with.` : '',
  };
}
