/** One gate checked against one model (core/export/gates.ts): what promotion refusals, the audit log and model cards show. */
export interface GateResult {
  /** gateName(gate): the condition, or the name the pipeline gave it. */
  gate: string;
  kind: 'metric' | 'no_protected_attributes' | 'drift';
  passed: boolean;
  /** What was measured: the metric's value; the protected columns found; the first drift statistic past its bound ("PSI 0.41 on income"). */
  measured: number | string | null;
  /** The bound it was held to, in words: ">= 0.8", "none", "PSI < 0.2, KS < 0.2, ...". */
  bound: string;
  /** One sentence on why it passed or failed. */
  message: string;
}
