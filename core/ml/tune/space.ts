/**
 * A search space the user writes as JSON in the Tune node:
 *   { "max_depth": {"int": [2, 12]}, "learning_rate": {"float": [0.01, 0.3], "log": true},
 *     "criterion": {"choice": ["gini", "entropy"]} }
 * Numeric dimensions are searched in a unit cube ([0, 1] per dimension, log-scaled when asked),
 * which is what the samplers (random, TPE, genetic) work in; `decode` maps back to params.
 */
import { z } from 'zod';
import { FlowlineError } from '../../spec/errors.ts';
import type { Rng } from '../../spec/random.ts';

export type ChoiceValue = string | number | boolean | null;

const intDimension = z.strictObject({ int: z.tuple([z.number().int(), z.number().int()]), log: z.boolean().optional() }).meta({ title: 'Whole numbers from lo to hi' });
const floatDimension = z.strictObject({ float: z.tuple([z.number(), z.number()]), log: z.boolean().optional() }).meta({ title: 'Numbers from lo to hi' });
const choiceDimension = z
  .strictObject({ choice: z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])).min(1) })
  .meta({ title: 'One of these values' });
type AnyDimension = z.infer<typeof intDimension> | z.infer<typeof floatDimension> | z.infer<typeof choiceDimension>;

/** A range must be in order, and above 0 when log-scaled. */
function checkRange(d: AnyDimension, ctx: z.core.$RefinementCtx<AnyDimension>): void {
  if ('choice' in d) return;
  const [lo, hi] = 'int' in d ? d.int : d.float;
  if (!(lo <= hi)) ctx.addIssue({ code: 'custom', message: `the range [${lo}, ${hi}] is empty; write the smaller value first` });
  else if (d.log && lo <= 0) ctx.addIssue({ code: 'custom', message: 'a log-scaled range must be above 0' });
}

export const dimensionSchema = z.union([intDimension, floatDimension, choiceDimension]).superRefine(checkRange);
export const searchSpaceSchema = z.record(z.string(), dimensionSchema);

export type Dimension = z.infer<typeof dimensionSchema>;
export type SearchSpace = z.infer<typeof searchSpaceSchema>;
export type Params = Record<string, ChoiceValue>;

/** JSON types a param's schema accepts (integer, number, string, boolean, null, array, object; choice for constants). */
function jsonTypes(schema: z.ZodType): Set<string> {
  const out = new Set<string>();
  const walk = (j: Record<string, unknown>) => {
    if (typeof j.type === 'string') out.add(j.type);
    if (j.const !== undefined || j.enum) out.add('choice');
    for (const k of ['anyOf', 'oneOf'] as const) for (const alt of (j[k] as Record<string, unknown>[] | undefined) ?? []) walk(alt);
  };
  walk(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>);
  return out;
}

/**
 * How one learner param may be searched, or null when it cannot be (a list or a map): whole-number
 * params by {"int"} ranges, other numbers by {"int"} or {"float"}, any param by {"choice"}; every
 * bound and choice must itself be a valid value of the param (max_depth ≥ 1, say), checked when
 * the pipeline is validated.
 */
export function dimensionFor(param: z.ZodType): z.ZodType | null {
  const types = jsonTypes(param);
  if ((types.has('array') || types.has('object')) && !types.has('choice')) return null;
  const kinds: z.ZodType[] = [];
  if (types.has('integer') || types.has('number')) kinds.push(intDimension);
  if (types.has('number')) kinds.push(floatDimension);
  kinds.push(choiceDimension);
  const description = (z.globalRegistry.get(param) as { description?: string } | undefined)?.description;
  const dim = (kinds.length === 1 ? kinds[0] : z.union(kinds as [z.ZodType, z.ZodType, ...z.ZodType[]])) as z.ZodType<AnyDimension>;
  const checked = dim.superRefine((d, ctx) => {
    checkRange(d, ctx);
    const values: unknown[] = 'choice' in d ? d.choice : 'int' in d ? d.int : d.float;
    for (const v of values) {
      const r = param.safeParse(v);
      if (!r.success) ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)} is not a valid value here (${r.error.issues[0].message})` });
    }
  });
  return description ? checked.optional().meta({ description: `Range to search for: ${description}` }) : checked.optional();
}

/**
 * A learner's search space: one optional dimension per searchable param and nothing else, so a
 * name the learner does not have is an error when the pipeline is validated ("did you mean").
 * Absent, the space is `defaultSpace`; an empty one ({}) also searches the default space at run.
 */
export function searchSpaceFor(params: z.ZodObject, title: string, defaultSpace: SearchSpace): z.ZodType<SearchSpace> {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, param] of Object.entries(params.shape as Record<string, z.ZodType>)) {
    const dim = dimensionFor(param);
    if (dim) shape[name] = dim;
  }
  return z
    .strictObject(shape)
    .default(() => structuredClone(defaultSpace))
    .meta({
      description: `What to search among the settings of ${title}: each as {"int": [lo, hi]}, {"float": [lo, hi], "log": true} or {"choice": [a, b, ...]}. Empty = the default space.`,
    }) as unknown as z.ZodType<SearchSpace>;
}

export interface Dim {
  name: string;
  kind: 'int' | 'float' | 'choice';
  lo: number;
  hi: number;
  log: boolean;
  choices: ChoiceValue[];
}

/** Validate a space and list its dimensions in a fixed (sorted) order. */
export function parseSpace(space: unknown): Dim[] {
  const r = searchSpaceSchema.safeParse(space);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue.path.length ? `"${issue.path[0].toString()}"` : 'the search space';
    throw new FlowlineError({
      code: 'INVALID_PARAM',
      path: ['space', ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
      message: `Search space: ${where} is not a valid dimension${issue.code === 'custom' ? `: ${issue.message}` : ''}.`,
      hint: 'Write each parameter as {"int": [lo, hi]}, {"float": [lo, hi], "log": true} or {"choice": [a, b, ...]}.',
    });
  }
  const dims: Dim[] = [];
  for (const name of Object.keys(r.data).sort()) {
    const d = r.data[name];
    if ('choice' in d) {
      dims.push({ name, kind: 'choice', lo: 0, hi: d.choice.length - 1, log: false, choices: d.choice });
      continue;
    }
    const [lo, hi] = 'int' in d ? d.int : d.float;
    dims.push({ name, kind: 'int' in d ? 'int' : 'float', lo, hi, log: !!d.log, choices: [] });
  }
  if (dims.length === 0) {
    throw new FlowlineError({ code: 'INVALID_PARAM', path: ['space'], message: 'The search space is empty.', hint: 'Add at least one parameter to search, e.g. {"max_depth": {"int": [2, 12]}}.' });
  }
  return dims;
}

/** Unit coordinate u ∈ [0, 1] → a value of the dimension. */
export function decodeValue(d: Dim, u: number): ChoiceValue {
  const t = Math.min(1, Math.max(0, u));
  if (d.kind === 'choice') return d.choices[Math.min(d.choices.length - 1, Math.floor(t * d.choices.length))];
  if (d.kind === 'int') {
    // widen by half a step on each side so the end integers get a full share of the cube
    // (a log-scaled int range starts at 1 or more, so lo - 0.5 stays above 0)
    const lo = d.lo - 0.5, hi = d.hi + 0.5;
    const v = d.log ? Math.exp(Math.log(lo) + t * (Math.log(hi) - Math.log(lo))) : lo + t * (hi - lo);
    return Math.min(d.hi, Math.max(d.lo, Math.round(v)));
  }
  return d.log ? Math.exp(Math.log(d.lo) + t * (Math.log(d.hi) - Math.log(d.lo))) : d.lo + t * (d.hi - d.lo);
}

/** A value of the dimension → its unit coordinate (the centre of its cell for ints and choices). */
export function encodeValue(d: Dim, v: ChoiceValue): number {
  if (d.kind === 'choice') {
    const i = d.choices.findIndex((c) => c === v);
    return (Math.max(0, i) + 0.5) / d.choices.length;
  }
  const x = Number(v);
  if (d.kind === 'int') {
    const lo = d.lo - 0.5, hi = d.hi + 0.5;
    return d.log ? (Math.log(x) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)) : (x - lo) / (hi - lo);
  }
  if (d.hi === d.lo) return 0.5;
  return d.log ? (Math.log(x) - Math.log(d.lo)) / (Math.log(d.hi) - Math.log(d.lo)) : (x - d.lo) / (d.hi - d.lo);
}

export function decode(dims: Dim[], u: ArrayLike<number>): Params {
  const out: Params = {};
  dims.forEach((d, j) => (out[d.name] = decodeValue(d, u[j])));
  return out;
}

export function encode(dims: Dim[], p: Params): number[] {
  return dims.map((d) => encodeValue(d, p[d.name]));
}

export function randomPoint(dims: Dim[], rng: Rng): number[] {
  return dims.map(() => rng.next());
}

/** Stable identity of a param set (dimension order is fixed), to spot repeats. */
export function paramsKey(p: Params): string {
  return JSON.stringify(Object.keys(p).sort().map((k) => [k, p[k]]));
}
