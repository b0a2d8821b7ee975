/**
 * A learner and its settings as one node param schema ("parameters are declared
 * once"): `learner` picks one of the registry's learners and `learner_params` is checked against
 * that learner's own zod schema — strict, with its defaults, ranges and descriptions — so compile,
 * `--set`, `validate`, the inspector form and `flowline nodes --json` all know every setting.
 */
import { z } from 'zod';
import { paramsChoice } from '../../spec/params.ts';
import type { Task } from '../../spec/values.ts';
import { searchSpaceFor, type SearchSpace } from '../tune/space.ts';
import { DEFAULT_SPACES } from '../tune/spaces.ts';
import { LEARNERS } from './index.ts';
import type { Learner } from './types.ts';

const SUPERVISED_TASKS: Task[] = ['binary', 'multiclass', 'regression'];

/** Learners that predict a target (what cross-validation, tuning and Compare can score). */
export const SUPERVISED_LEARNERS: Learner[] = LEARNERS.filter((l) => l.tasks.some((t) => SUPERVISED_TASKS.includes(t)));

/** A learner's settings as a strict object with every default filled in when left out. */
export function learnerParamsSchema(learner: Learner): z.ZodType<Record<string, unknown>> {
  return z
    .strictObject(learner.params.shape)
    .default(() => learner.params.parse({}))
    .meta({ description: `Settings of ${learner.title}` }) as unknown as z.ZodType<Record<string, unknown>>;
}

const LEARNER_DESCRIPTION = 'The algorithm to fit';

/**
 * Params of a node that fits one learner: `shared` params, plus `learner` (one of `learners`,
 * default `defaultLearner`) and `learner_params` typed by the learner chosen. `perLearner` adds
 * params typed per learner as well (Tune's search space).
 */
export function learnerChoice<Shared extends z.ZodRawShape, Extra extends z.ZodRawShape = Record<never, never>>(options: {
  shared: Shared;
  defaultLearner: string;
  learners?: Learner[];
  description?: string;
  perLearner?: (learner: Learner) => Extra;
}) {
  return paramsChoice({
    key: 'learner',
    description: options.description ?? LEARNER_DESCRIPTION,
    defaultValue: options.defaultLearner,
    shared: options.shared,
    options: (options.learners ?? LEARNERS).map((l) => ({
      value: l.kind,
      title: l.title,
      meta: { tasks: l.tasks },
      shape: { learner_params: learnerParamsSchema(l), ...options.perLearner?.(l) },
    })),
    common: { learner_params: z.record(z.string(), z.unknown()) } as unknown as { learner_params: z.ZodType<Record<string, unknown>> } & Extra,
  });
}

/** Tune's search space for one learner (see searchSpaceFor). */
export function learnerSpaceSchema(learner: Learner): z.ZodType<SearchSpace> {
  return searchSpaceFor(learner.params, learner.title, DEFAULT_SPACES[learner.kind] ?? {});
}

/**
 * Compare's settings per learner: an object with one optional key per learner, each that learner's
 * strict settings, e.g. {"random_forest": {"n_estimators": 200}}.
 */
export function settingsPerLearner(learners: Learner[] = SUPERVISED_LEARNERS): z.ZodType<Record<string, Record<string, unknown>>> {
  return z
    .strictObject(Object.fromEntries(learners.map((l) => [l.kind, z.strictObject(l.params.shape).optional().meta({ description: `Settings of ${l.title}` })])))
    .default({})
    .meta({ description: 'Settings per learner, e.g. {"random_forest": {"n_estimators": 200}}; a learner left out uses its defaults' }) as unknown as z.ZodType<
    Record<string, Record<string, unknown>>
  >;
}
