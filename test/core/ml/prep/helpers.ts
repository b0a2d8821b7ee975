import { expect } from 'vitest';
import { frameFromArrays, type Frame } from '../../../../core/ml/frame.ts';
import { Rng } from '../../../../core/spec/random.ts';
import type { AnyStepKind } from '../../../../core/ml/prep/types.ts';

/** A small mixed table: numeric columns with gaps, skewed positives, categories with a rare tail. */
export function mixedTable(n: number, seed: number) {
  const rng = new Rng(seed);
  const cities = ['Paris', 'Lyon', 'Nice', 'Lille', 'Brest', 'Metz', 'Pau'];
  const weights = [0.35, 0.25, 0.15, 0.1, 0.08, 0.05, 0.02];
  const pickCity = () => {
    let u = rng.next();
    for (let i = 0; i < cities.length; i++) if ((u -= weights[i]) < 0) return cities[i];
    return cities[cities.length - 1];
  };
  const data: Record<string, (number | string | null)[]> = { a: [], b: [], pos: [], signed: [], city: [], grade: [], y: [] };
  for (let i = 0; i < n; i++) {
    const a = 10 + 3 * rng.normal();
    data.a.push(rng.next() < 0.1 ? null : a);
    data.b.push(rng.next() < 0.15 ? null : Math.round(rng.next() * 20) / 2);
    data.pos.push(Math.exp(0.8 * rng.normal()) * 5);
    data.signed.push(rng.normal() * 4 + (rng.next() < 0.3 ? 6 : -1));
    data.city.push(rng.next() < 0.05 ? null : pickCity());
    data.grade.push(['low', 'mid', 'high'][rng.int(3)]);
    data.y.push(a * 0.5 + rng.normal());
  }
  return data;
}

export function toFrame(data: Record<string, (number | string | null)[]>): Frame {
  return frameFromArrays(data);
}

/** Frame column as JSON-able numbers (NaN → null). */
export function json(col: ArrayLike<number>): (number | null)[] {
  return Array.from(col, (v) => (Number.isNaN(v) ? null : v));
}

/** Element-wise closeness: |a-b| <= tol * max(1, |b|); both missing counts as equal. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number | null>, tol = 1e-9, label = '') {
  expect(actual.length, `${label} length`).toBe(expected.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < actual.length; i++) {
    const e = expected[i];
    const a = actual[i];
    if (e === null || Number.isNaN(e)) {
      if (!Number.isNaN(a)) {
        worst = Infinity;
        at = i;
      }
      continue;
    }
    const d = Math.abs(a - e) / Math.max(1, Math.abs(e));
    if (!(d <= worst)) {
      worst = d;
      at = i;
    }
  }
  expect(worst, `${label}: worst relative difference ${worst} at row ${at} (ours ${actual[at]}, sklearn ${expected[at]})`).toBeLessThanOrEqual(tol);
}

/** Python prelude: train/test DataFrames from the JSON on stdin. */
export const PY_PRELUDE = String.raw`
import json, sys, warnings
warnings.filterwarnings("ignore")
import numpy as np, pandas as pd
inp = json.load(sys.stdin)
def frame(d):
    df = pd.DataFrame(d)
    for c in df.columns:
        if df[c].dtype == object and all(v is None or isinstance(v, (int, float)) for v in d[c]):
            df[c] = df[c].astype(float)
    return df
train = frame(inp["train"]); test = frame(inp["test"])
def out(x): print(json.dumps(x, allow_nan=True).replace("NaN", "null"))
def col(a): return [None if (isinstance(v, float) and np.isnan(v)) else float(v) for v in np.asarray(a, dtype=float).ravel()]
`;

/** A step's params as its node would give them: parsed by the step's schema, defaults filled in. */
export function stepParams<K extends AnyStepKind>(kind: K, raw: Record<string, unknown>): Parameters<K['fit']>[1] {
  return kind.params.parse(raw) as Parameters<K['fit']>[1];
}
