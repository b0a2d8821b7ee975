/**
 * Grid search: every combination of the choices and of evenly spaced values of each numeric
 * dimension (log-spaced when the dimension is log-scaled). The numeric resolution shrinks until
 * the grid fits in the trial budget (at least 2 values per numeric dimension); a grid still too
 * large is sampled down, with the seed.
 */
import { Rng } from '../../spec/random.ts';
import type { Dim, Params, ChoiceValue } from './space.ts';
import type { Sampler } from './types.ts';

function axis(d: Dim, points: number): ChoiceValue[] {
  if (d.kind === 'choice') return d.choices;
  if (d.lo === d.hi) return [d.lo];
  const t = (i: number) => (points === 1 ? 0.5 : i / (points - 1));
  const value = (s: number) => (d.log ? Math.exp(Math.log(d.lo) + s * (Math.log(d.hi) - Math.log(d.lo))) : d.lo + s * (d.hi - d.lo));
  if (d.kind === 'int') {
    const n = Math.min(points, d.hi - d.lo + 1);
    const out = new Set<number>();
    for (let i = 0; i < n; i++) out.add(Math.round(value(n === 1 ? 0.5 : i / (n - 1))));
    return [...out].sort((a, b) => a - b);
  }
  return Array.from({ length: points }, (_, i) => value(t(i)));
}

export function gridPoints(dims: Dim[], budget: number, seed: number): Params[] {
  const size = (points: number) => dims.reduce((acc, d) => acc * axis(d, points).length, 1);
  let points = 10;
  while (points > 2 && size(points) > budget) points--;
  const axes = dims.map((d) => axis(d, points));
  const all: Params[] = [];
  const walk = (j: number, cur: Params) => {
    if (j === dims.length) return void all.push({ ...cur });
    for (const v of axes[j]) {
      cur[dims[j].name] = v;
      walk(j + 1, cur);
    }
  };
  walk(0, {});
  if (all.length <= budget) return all;
  const pick = new Rng(seed).permutation(all.length).slice(0, budget).sort();
  return Array.from(pick, (i) => all[i]);
}

export function gridSampler(dims: Dim[], budget: number, seed: number): Sampler & { size: number } {
  const points = gridPoints(dims, budget, seed);
  let next = 0;
  return {
    size: points.length,
    propose(_history, count) {
      const out = points.slice(next, next + count);
      next += out.length;
      return out;
    },
  };
}
