/**
 * Every recipe step kind, by the `kind` stored in a RecipeStep. A Train node replays a table's
 * recipe with these (core/ml/recipe.ts); ONNX export reads `exportable` and each state.
 */
import { cast } from './cast.ts';
import { dateParts } from './date-parts.ts';
import { discretize } from './discretize.ts';
import { formula } from './formula.ts';
import { groupAgg } from './group-agg.ts';
import { hashing } from './hashing.ts';
import { impute } from './impute.ts';
import { onehot } from './onehot.ts';
import { ordinal } from './ordinal.ts';
import { outliersClip } from './outliers.ts';
import { pca } from './pca.ts';
import { power } from './power.ts';
import { scale } from './scale.ts';
import { selectFeatures } from './select-features.ts';
import { splitText } from './split-text.ts';
import { targetEncode } from './target-encode.ts';
import { textFeatures } from './text-features.ts';
import type { AnyStepKind } from './types.ts';

export const STEP_KINDS: Record<string, AnyStepKind> = Object.fromEntries(
  [impute, outliersClip, scale, discretize, power, onehot, ordinal, hashing, targetEncode, dateParts, splitText, formula, groupAgg, pca, cast, selectFeatures, textFeatures].map((k) => [k.kind, k]),
);

export type { StepKind, AnyStepKind } from './types.ts';
