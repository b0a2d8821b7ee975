import type { ErrorInfo } from '../spec/errors.ts';

export interface ParamOverride {
  nodeId: string;
  /** Param name, then nested keys for object params: train.learner_params.max_depth=8. */
  path: string[];
  value: unknown;
  raw: string;
}

/**
 * Parse `--set node.param=value`. The value is read as JSON when it parses as JSON (numbers,
 * booleans, arrays, quoted strings) and as a plain string otherwise, so `--set load.path=a.csv`
 * and `--set train.max_depth=8` both read naturally.
 */
export function parseOverride(raw: string): ParamOverride | ErrorInfo {
  const eq = raw.indexOf('=');
  if (eq <= 0) return { code: 'BAD_SET', message: `--set "${raw}" must look like node.param=value.` };
  const lhs = raw.slice(0, eq).trim();
  const text = raw.slice(eq + 1);
  const parts = lhs.split('.');
  if (parts.length < 2 || parts.some((p) => p === '')) {
    return { code: 'BAD_SET', message: `--set "${raw}": "${lhs}" must name a node and a param, e.g. train.max_depth.` };
  }
  let value: unknown = text;
  try {
    value = JSON.parse(text);
  } catch {
    value = text;
  }
  return { nodeId: parts[0], path: parts.slice(1), value, raw };
}

/** Set a nested value on a copy of params. */
export function applyOverride(params: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...params };
  if (path.length === 1) {
    copy[path[0]] = value;
    return copy;
  }
  const inner = copy[path[0]];
  const base = inner && typeof inner === 'object' && !Array.isArray(inner) ? (inner as Record<string, unknown>) : {};
  copy[path[0]] = applyOverride(base, path.slice(1), value);
  return copy;
}
