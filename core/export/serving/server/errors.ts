/**
 * Errors the server answers with. A RequestError is the caller's fault (4xx) and says which field
 * and which row; anything else that escapes a handler is ours (500) and is answered without its
 * message or stack, which go to the log only.
 */

export interface Issue {
  code: string;
  message: string;
  field?: string;
  row?: number;
}

export class RequestError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field?: string;
  readonly row?: number;
  readonly issues?: Issue[];

  constructor(status: number, code: string, message: string, where: { field?: string; row?: number; issues?: Issue[] } = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = where.field;
    this.row = where.row;
    this.issues = where.issues;
  }

  /** The JSON body: `error` is what the Open Inference Protocol and MLflow clients print. */
  body(): Record<string, unknown> {
    return {
      error: this.message,
      code: this.code,
      ...(this.field !== undefined ? { field: this.field } : {}),
      ...(this.row !== undefined ? { row: this.row } : {}),
      ...(this.issues && this.issues.length > 1 ? { issues: this.issues } : {}),
    };
  }
}

/** 422 for the first of several value problems, listing up to MAX_ISSUES of them. */
export const MAX_ISSUES = 10;

export function invalidInput(issues: Issue[], total: number): RequestError {
  const first = issues[0];
  const more = total > 1 ? ` (${total - 1} more problem${total > 2 ? 's' : ''} in this request${total > issues.length ? `; the first ${issues.length} are listed in "issues"` : '; see "issues"'})` : '';
  return new RequestError(422, first.code, `${first.message}${more}`, { field: first.field, row: first.row, issues });
}

/** A value shown in an error: short, and never the whole payload. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${show(value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `the boolean ${value}`;
  return typeof value;
}
