/**
 * Errors are values: a code, a plain-words message, where it happened (node, file, line, column)
 * and a hint of what to do. The CLI and the studio show `message` and `hint`; the stack stays
 * behind a "details" toggle.
 */
export const ERROR_CODES = [
  'PIPELINE_NOT_JSON',
  'PIPELINE_INVALID',
  'PIPELINE_TOO_NEW',
  'PIPELINE_UNREADABLE',
  'UNKNOWN_NODE_TYPE',
  'UNKNOWN_NODE',
  'UNKNOWN_RUN',
  'UNKNOWN_PARAM',
  'BAD_SET',
  'BAD_ARGUMENTS',
  'INVALID_PARAM',
  'CYCLE',
  'PORT_TYPE_MISMATCH',
  'UNKNOWN_PORT',
  'MISSING_INPUT',
  'DUPLICATE_NODE_ID',
  'FILE_NOT_FOUND',
  'FILE_EMPTY',
  'FILE_NOT_TEXT',
  'NOT_A_FILE',
  'CSV_PARSE',
  'NO_ROWS',
  'COLUMN_NOT_FOUND',
  'COLUMN_TYPE',
  'SQL_ERROR',
  'EXPRESSION_ERROR',
  'BAD_TARGET',
  'BAD_DATA',
  'NOT_EXPORTABLE',
  'BAD_CHALLENGER',
  'EXPORT_MISMATCH',
  'NOT_TRUSTED',
  'PATH_NOT_ALLOWED',
  'CANCELLED',
  'TIMEOUT',
  'NOT_ENOUGH_MEMORY',
  'WORKER_FAILED',
  'PROTECTED_ATTRIBUTE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  nodeId?: string;
  hint?: string;
  file?: string;
  line?: number;
  column?: string;
  /** zod-style path into a node's params, e.g. ["max_depth"]. */
  path?: (string | number)[];
  /** A list the message refers to, one item a line (e.g. what an untrusted pipeline would do). */
  details?: string[];
}

export class FlowlineError extends Error implements ErrorInfo {
  readonly code: ErrorCode;
  nodeId?: string;
  hint?: string;
  file?: string;
  line?: number;
  column?: string;
  path?: (string | number)[];
  details?: string[];

  constructor(info: ErrorInfo) {
    super(info.message);
    this.name = 'FlowlineError';
    this.code = info.code;
    this.nodeId = info.nodeId;
    this.hint = info.hint;
    this.file = info.file;
    this.line = info.line;
    this.column = info.column;
    this.path = info.path;
    this.details = info.details;
  }

  toJSON(): ErrorInfo {
    const out: ErrorInfo = { code: this.code, message: this.message };
    for (const k of ['nodeId', 'hint', 'file', 'line', 'column', 'path', 'details'] as const) {
      if (this[k] !== undefined) (out as unknown as Record<string, unknown>)[k] = this[k];
    }
    return out;
  }
}

export function isFlowlineError(e: unknown): e is FlowlineError {
  return e instanceof Error && (e as { name?: string }).name === 'FlowlineError' && typeof (e as FlowlineError).code === 'string';
}

const KNOWN_CODES = new Set<string>(ERROR_CODES);

/**
 * Turn anything thrown into an ErrorInfo the user can read. Every result has a message: an Error's
 * message is not an own enumerable property, so copying the object (as this once did) lost it
 * ("BAD_SET undefined", {"code":"ENOENT"}). A system error (ENOENT, EACCES...) keeps Node's message
 * and its path; only our own codes pass through as codes.
 */
export function toErrorInfo(e: unknown, nodeId?: string): ErrorInfo {
  if (isFlowlineError(e)) return { ...e.toJSON(), nodeId: e.nodeId ?? nodeId };
  const o = (e !== null && typeof e === 'object' ? e : {}) as Omit<Partial<ErrorInfo>, 'code'> & { code?: unknown; message?: unknown; path?: unknown; syscall?: unknown };
  const text = typeof o.message === 'string' && o.message ? o.message : e instanceof Error ? e.name : String(e);
  if (typeof o.code === 'string' && KNOWN_CODES.has(o.code)) {
    const info: ErrorInfo = { code: o.code as ErrorCode, message: text, nodeId: o.nodeId ?? nodeId };
    for (const k of ['hint', 'file', 'line', 'column', 'path'] as const) if (o[k] !== undefined) (info as unknown as Record<string, unknown>)[k] = o[k];
    return info;
  }
  if (typeof o.code === 'string' && typeof o.syscall === 'string') {
    const file = typeof o.path === 'string' ? o.path : undefined;
    return { code: o.code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'INTERNAL', message: text, nodeId, ...(file ? { file } : {}) };
  }
  return { code: 'INTERNAL', message: text, nodeId };
}
