/** Reading a node's params JSON Schema (zod → JSON Schema) for the inspector and card summary. */
import type { CatalogNode } from '../../../core/host/api.ts';

export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  title?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  pattern?: string;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

/** Drop `null` branches of a nullable/optional schema so the form sees the real type. */
export function unwrap(s: JsonSchema): JsonSchema & { nullable?: boolean } {
  const alts = s.anyOf ?? s.oneOf;
  if (alts) {
    const real = alts.filter((a) => a.type !== 'null');
    if (real.length === 1) return { ...real[0], default: s.default ?? real[0].default, description: s.description ?? real[0].description, nullable: real.length < alts.length };
    if (real.every((a) => a.const !== undefined)) return { type: 'string', enum: real.map((a) => a.const), default: s.default, description: s.description };
  }
  return s;
}

export function paramEntries(spec: CatalogNode): [string, JsonSchema][] {
  const props = (spec.paramsSchema as JsonSchema).properties ?? {};
  return Object.entries(props).map(([k, v]) => [k, unwrap(v)]);
}

export function isRequired(spec: CatalogNode, name: string): boolean {
  return ((spec.paramsSchema as JsonSchema).required ?? []).includes(name);
}

export function kindOf(s: JsonSchema): 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'enum-array' | 'string-array' | 'json' {
  if (s.enum) return 'enum';
  const t = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  if (t === 'array') return s.items?.enum ? 'enum-array' : s.items && (s.items.type === 'string') ? 'string-array' : 'json';
  if (t === 'number' || t === 'integer' || t === 'boolean' || t === 'string') return t;
  return 'json';
}

/** Inline check of one value against its schema: a message, or null when fine. */
export function checkValue(s: JsonSchema, value: unknown, required: boolean): string | null {
  const kind = kindOf(s);
  const empty = value === undefined || value === null || value === '';
  if (empty) return required ? 'Required.' : null;
  if (kind === 'number' || kind === 'integer') {
    if (typeof value !== 'number' || Number.isNaN(value)) return 'Enter a number.';
    if (kind === 'integer' && !Number.isInteger(value)) return 'Enter a whole number.';
    if (s.minimum !== undefined && value < s.minimum) return `At least ${s.minimum}.`;
    if (s.maximum !== undefined && value > s.maximum) return `At most ${s.maximum}.`;
    if (s.exclusiveMinimum !== undefined && value <= s.exclusiveMinimum) return `More than ${s.exclusiveMinimum}.`;
    if (s.exclusiveMaximum !== undefined && value >= s.exclusiveMaximum) return `Less than ${s.exclusiveMaximum}.`;
  }
  if (kind === 'string' && typeof value === 'string') {
    if (s.minLength !== undefined && value.length < s.minLength) return required ? 'Required.' : `At least ${s.minLength} characters.`;
    if (s.pattern && !new RegExp(s.pattern).test(value)) return 'Not in the expected form.';
  }
  if (kind === 'enum' && !s.enum!.includes(value)) return `Choose one of: ${s.enum!.join(', ')}.`;
  return null;
}

/** Card one-liner: the first few set params, "target=species · max_depth=4". */
export function summarize(spec: CatalogNode | undefined, params: Record<string, unknown>): string {
  if (!spec) return '';
  const parts: string[] = [];
  // The learner says most about a model node, whatever order its schema lists params in.
  const names = paramEntries(spec).map(([name]) => name).filter((n) => n !== 'learner');
  if (typeof params.learner === 'string') names.unshift('learner');
  for (const name of names) {
    const v = params[name];
    if (v === undefined || v === '' || v === null || (Array.isArray(v) && !v.length) || typeof v === 'object' && !Array.isArray(v)) continue;
    if (spec.paramsUi[name]?.widget === 'code') continue;
    let text = Array.isArray(v) ? v.join(', ') : String(v);
    if (spec.paramsUi[name]?.widget === 'file') text = text.split(/[\\/]/).pop() ?? text;
    parts.push(spec.paramsUi[name]?.widget === 'file' ? text : `${name}=${text}`);
    if (parts.length === 3) break;
  }
  return parts.join(' · ');
}
