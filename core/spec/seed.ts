/**
 * Seeds belong to nodes, not to node ids: a node with randomness declares a `seed`
 * param (param.seed()), like scikit-learn's random_state; left empty it takes the pipeline's seed.
 * Renaming a node therefore never changes a result.
 */
import { z } from 'zod';
import { paramNames, type ParamsSchema } from './params.ts';

/** Name of the seed param every node with randomness declares. */
export const SEED_PARAM = 'seed';

/** The `seed` param: an optional whole number; empty = the pipeline's seed. */
export function seedParam() {
  return z
    .number()
    .int()
    .min(-2147483648)
    .max(4294967295)
    .optional()
    .meta({
      description:
        "Seed for everything random in this node (as scikit-learn's random_state): the same seed gives the same result, whatever the node is called. Empty: the pipeline's seed.",
      ui: { advanced: true },
    });
}

/** The seed a node's run uses: its own `seed` param when it declares and sets one, else the pipeline's. */
export function nodeSeed(params: ParamsSchema, values: Record<string, unknown>, pipelineSeed: number): number {
  const own = values[SEED_PARAM];
  return paramNames(params).includes(SEED_PARAM) && typeof own === 'number' ? own : pipelineSeed;
}

/** Derive a stable sub-seed (per fold, per tree, per step) from a seed and a label (FNV-1a). */
export function deriveSeed(seed: number, label: string | number): number {
  let h = (seed ^ 0x811c9dc5) >>> 0;
  const s = String(label);
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h >>> 0;
}
