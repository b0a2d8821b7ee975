/**
 * A learner node's params schema, read for the inspector: Train, Cross-validate and Tune declare
 * `{ learner, learner_params (, space) }` as a JSON Schema `oneOf` discriminated on `learner`, one
 * branch per learner, each with its own settings (type, default, range, description).
 */
import type { CatalogNode } from '../../../core/host/api.ts';
import { checkValue, unwrap, type JsonSchema } from './params.ts';

export interface LearnerVariant {
  learner: string;
  title: string;
  /** Settings of this learner: `learner_params`' properties. */
  settings: Record<string, JsonSchema & { ui?: { advanced?: boolean } }>;
  /** Other per-learner params of the branch (Tune's `space`), dropped on a switch like settings. */
  perLearner: string[];
}

interface Discriminated extends JsonSchema {
  discriminator?: { propertyName?: string };
}

/** The branches of a node whose params are discriminated on `learner`; empty for any other node. */
export function learnerVariants(spec: CatalogNode | undefined): LearnerVariant[] {
  const schema = spec?.paramsSchema as Discriminated | undefined;
  if (schema?.discriminator?.propertyName !== 'learner' || !schema.oneOf) return [];
  return schema.oneOf.flatMap((branch) => {
    const learner = branch.properties?.learner?.const;
    if (typeof learner !== 'string') return [];
    const settings = (branch.properties?.learner_params?.properties ?? {}) as LearnerVariant['settings'];
    const perLearner = Object.keys(branch.properties ?? {}).filter((k) => k !== 'learner' && k !== 'learner_params');
    return [{ learner, title: branch.title ?? learner, settings, perLearner }];
  });
}

/**
 * Solver knobs that rarely need touching, folded under "Advanced" unless the schema marks its own
 * (`ui.advanced`): tolerances, early-stopping details, optimiser constants, binning.
 */
const ADVANCED = new Set(['tol', 'max_bins', 'n_iter_no_change', 'validation_fraction', 'beta_1', 'beta_2', 'epsilon', 'batch_size', 'shuffle', 'n_init', 'var_smoothing', 'max_leaf_nodes', 'l2_regularization']);

export function isAdvancedSetting(name: string, schema: { ui?: { advanced?: boolean } }): boolean {
  return schema.ui?.advanced ?? ADVANCED.has(name);
}

/** What switching learner does to the settings: those the new learner has (and accepts) stay. */
export interface LearnerSwitch {
  params: Record<string, unknown>;
  kept: string[];
  dropped: string[];
}

export function switchLearnerParams(params: Record<string, unknown>, to: LearnerVariant): LearnerSwitch {
  const old = (params.learner_params ?? {}) as Record<string, unknown>;
  const kept: string[] = [];
  const dropped: string[] = [];
  const settings: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(old)) {
    const schema = to.settings[name];
    if (schema && acceptsValue(schema, value)) {
      settings[name] = value;
      kept.push(name);
    } else dropped.push(name);
  }
  const next: Record<string, unknown> = { ...params, learner: to.learner, learner_params: settings };
  // Tune's search space names the old learner's settings: what the new one has stays, as above.
  for (const key of to.perLearner) {
    const value = params[key];
    if (!value || typeof value !== 'object' || Array.isArray(value)) continue;
    const known = Object.keys(to.settings);
    const entries = Object.entries(value as Record<string, unknown>);
    next[key] = Object.fromEntries(entries.filter(([k]) => known.includes(k)));
    for (const [k] of entries) if (!known.includes(k)) dropped.push(`${key}.${k}`);
  }
  return { params: next, kept, dropped };
}

/** Whether a value passes the setting's own schema (a mixed choice-or-number passes either branch). */
export function acceptsValue(schema: JsonSchema, value: unknown): boolean {
  if (value === null) return unwrap(schema).nullable === true || schema.type === 'null';
  const alts = schema.anyOf ?? schema.oneOf;
  if (alts && alts.filter((a) => a.type !== 'null').length > 1) return alts.some((a) => acceptsValue(a, value));
  const s = unwrap(schema);
  if (s.type === 'array') return Array.isArray(value) && value.every((v) => !s.items || acceptsValue(s.items, v));
  const t = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  if (t === 'boolean') return typeof value === 'boolean';
  if ((t === 'number' || t === 'integer') && typeof value !== 'number') return false;
  if (t === 'string' && typeof value !== 'string') return false;
  return checkValue(s, value, false) === null;
}

/** "1 – 100,000", "at least 2", "more than 0": a setting's range in words, or ''. */
export function rangeText(schema: JsonSchema): string {
  const n = (v: number) => v.toLocaleString('en-US');
  // Bounds at the edge of safe integers are "no limit", not a range anyone needs to read.
  const lo = schema.minimum ?? undefined;
  const hi = schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER ? schema.maximum : undefined;
  if (lo !== undefined && hi !== undefined) return `${n(lo)} – ${n(hi)}`;
  if (lo !== undefined) return `at least ${n(lo)}`;
  if (schema.exclusiveMinimum !== undefined) return schema.exclusiveMaximum !== undefined ? `between ${n(schema.exclusiveMinimum)} and ${n(schema.exclusiveMaximum)}` : `more than ${n(schema.exclusiveMinimum)}`;
  if (hi !== undefined) return `at most ${n(hi)}`;
  return '';
}
