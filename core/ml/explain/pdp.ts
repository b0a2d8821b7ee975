/**
 * Partial dependence (Friedman 2001) and ICE curves (Goldstein et al. 2015) on raw columns: set
 * the column to each grid value in every row given, replay the recipe, predict, and average
 * (PDP) or keep each row's curve (ICE; centred ICE subtracts each curve's value at the first grid
 * point). Two columns give a grid of averages. The grid is the column's distinct values when
 * there are few, else its quantiles from 5% to 95% (numbers), or its most frequent categories.
 * Cost: grid points × (recipe + predict) on the rows given.
 */
import type { Frame, FrameColumn } from '../frame.ts';
import { Rng } from '../../spec/random.ts';
import { predictionOutputs } from './model-output.ts';
import { matrixOf, withColumn, type RawModel } from './raw-model.ts';

export type GridValue = number | string;

/** Quantile of sorted values, linear interpolation (numpy's default). */
function quantile(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function gridOf(col: FrameColumn, points: number): GridValue[] {
  if (col instanceof Float64Array) {
    const sorted = col.filter((v) => !Number.isNaN(v)).sort();
    const distinct = [...new Set(sorted)];
    if (distinct.length <= points) return distinct;
    const grid = Array.from({ length: points }, (_, i) => quantile(sorted, 0.05 + (0.9 * i) / (points - 1)));
    return [...new Set(grid)];
  }
  const counts = new Map<string, number>();
  for (const v of col) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, points).map(([v]) => v);
}

function filled(col: FrameColumn, value: GridValue, rows: number): FrameColumn {
  return col instanceof Float64Array ? new Float64Array(rows).fill(value as number) : new Array<string>(rows).fill(String(value));
}

export interface PdpJob {
  model: RawModel;
  raw: Frame;
  columns: string[];
  grids: GridValue[][];
  /** Which prediction output to read (predictionInfo's labels). */
  output: number;
  outputs: number;
  /** Rows whose ICE curves to keep (positions in raw). */
  iceRows: number[];
}

export interface PdpCurves {
  /** grid[0] × grid[1] (row-major) averages, or one per grid value. */
  average: number[];
  /** [row][grid value], one column only. */
  ice: number[][];
}

export function partialDependence(job: PdpJob): PdpCurves {
  const { model, raw, columns, grids } = job;
  const n = raw.rows;
  const points = columns.length === 2 ? grids[0].flatMap((a) => grids[1].map((b) => [a, b])) : grids[0].map((a) => [a]);
  const average: number[] = [];
  const ice: number[][] = job.iceRows.map(() => []);
  for (const point of points) {
    let frame = raw;
    columns.forEach((c, i) => (frame = withColumn(frame, c, filled(raw.columns[c], point[i], n))));
    const out = predictionOutputs(model.kind, model.task, model.state, matrixOf(model, frame));
    let s = 0;
    for (let r = 0; r < n; r++) s += out[r * job.outputs + job.output];
    average.push(s / n);
    job.iceRows.forEach((r, k) => ice[k].push(out[r * job.outputs + job.output]));
  }
  return { average, ice };
}

/** Up to `max` row positions for ICE curves (all when fewer), seeded, in row order. */
export function iceSample(rows: number, max: number, seed: number): number[] {
  if (rows <= max) return Array.from({ length: rows }, (_, i) => i);
  return Array.from(new Rng(seed).permutation(rows).slice(0, max)).sort((a, b) => a - b);
}
