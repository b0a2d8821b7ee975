/**
 * Params problems in the user's words: an unknown param (nested ones too, such as a learner's
 * settings) with "did you mean", a choice key naming no option, a param left out, a bad value —
 * each pinned to the node and the param path.
 */
import type { z } from 'zod';
import type { AnyNodeSpec } from '../spec/define-node.ts';
import { paramNames, paramsChoiceOf, paramsObjectFor } from '../spec/params.ts';
import type { Diagnostic } from './compile.ts';

/** The value at a path inside raw params (undefined where the path leaves the JSON). */
function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined), raw);
}

/** The object schema at `path` inside a node's params (following optional/default wrappers). */
function objectAt(spec: AnyNodeSpec, raw: Record<string, unknown>, path: readonly PropertyKey[]): z.ZodObject | undefined {
  let schema: z.ZodType | undefined = paramsObjectFor(spec.params, raw);
  for (const key of path) {
    const obj = unwrapObject(schema);
    schema = obj ? (obj.shape as Record<string, z.ZodType>)[String(key)] : undefined;
  }
  return unwrapObject(schema);
}

function unwrapObject(schema: z.ZodType | undefined): z.ZodObject | undefined {
  let s = schema as { def?: { type?: string; innerType?: z.ZodType } } | undefined;
  while (s?.def && (s.def.type === 'optional' || s.def.type === 'default' || s.def.type === 'prefault' || s.def.type === 'nullable')) s = s.def.innerType as typeof s;
  return s?.def?.type === 'object' ? (s as unknown as z.ZodObject) : undefined;
}

/** "did you mean" for a misspelt name, or the list of names. */
function knownNames(name: string, names: string[]): string {
  const near = closest(name, names);
  return near ? `Did you mean "${near}"? Its params: ${names.join(', ')}.` : `Its params: ${names.join(', ')}.`;
}

/**
 * Why `--set node.a.b=value` names no param (walking nested objects such as learner_params, which
 * depend on the node's learner), or null when every step of the path exists.
 */
export function unknownOverridePath(id: string, spec: AnyNodeSpec, raw: Record<string, unknown>, path: string[]): { message: string; hint: string } | null {
  if (!paramNames(spec.params).includes(path[0])) {
    return { message: `node "${id}" (${spec.title}) has no param "${path[0]}".`, hint: knownNames(path[0], paramNames(spec.params)) };
  }
  for (let i = 1; i < path.length; i++) {
    const obj = objectAt(spec, raw, path.slice(0, i));
    // A record or free-form JSON param: any key goes.
    if (!obj) return null;
    const names = Object.keys(obj.shape);
    if (!names.includes(path[i])) {
      const where = path.slice(0, i).join('.');
      return { message: `node "${id}" (${spec.title}): "${where}" has no "${path[i]}".`, hint: knownNames(path[i], names).replace('Its params', `The params of "${where}"`) };
    }
  }
  return null;
}

/** One zod issue of a node's params as a diagnostic naming the node, the param path and a fix. */
export function paramIssue(id: string, spec: AnyNodeSpec, raw: Record<string, unknown>, issue: z.core.$ZodIssue): Diagnostic {
  const path = issue.path as (string | number)[];
  const where = path.join('.');
  const node = `Node "${id}" (${spec.title})`;
  const base = { severity: 'error' as const, nodeId: id, path };
  if (issue.code === 'unrecognized_keys') {
    const keys = (issue as { keys: string[] }).keys;
    const names = path.length ? Object.keys(objectAt(spec, raw, path)?.shape ?? {}) : paramNames(spec.params);
    return {
      ...base,
      code: 'UNKNOWN_PARAM',
      path: [...path, keys[0]],
      message: `${node} has no param ${keys.map((k) => `"${[...path, k].join('.')}"`).join(', ')}.`,
      hint: knownNames(keys[0], names).replace('Its params', where ? `The params of "${where}"` : 'Its params'),
    };
  }
  const choice = paramsChoiceOf(spec.params);
  if (choice && issue.code === 'invalid_union' && where === choice.key) {
    const value = String(raw[choice.key]);
    const values = choice.options.map((o) => o.value);
    const near = closest(value, values);
    return { ...base, code: 'INVALID_PARAM', message: `${node}: there is no ${choice.key} "${value}".`, hint: `${near ? `Did you mean "${near}"? ` : ''}Choose one of: ${values.join(', ')}.` };
  }
  if (issue.code === 'invalid_type' && valueAt(raw, path) === undefined) {
    return { ...base, code: 'INVALID_PARAM', message: `${node} needs param "${where}".` };
  }
  return { ...base, code: 'INVALID_PARAM', message: `${node}, param "${where || '(params)'}": ${issue.message}.` };
}

/**
 * The option nearest to a misspelt word, if one is near enough: a few edits away, or the word is
 * part of it ("depth" → "max_depth").
 */
export function closest(word: string, options: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(3, Math.floor(word.length / 3));
  const lower = word.toLowerCase();
  for (const o of options) {
    const part = lower.length >= 4 && o.toLowerCase().includes(lower);
    const d = part ? Math.min(2, editDistance(word, o)) : editDistance(word, o);
    if (d < bestDistance) {
      best = o;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}
