/**
 * The drift statistics equal scipy.stats 1.10 on fixed data (within 1e-9), and PSI equals a
 * hand-computed value.
 */
import { describe, expect, it } from 'vitest';
import { binCounts, chiSquare, jensenShannon, ks2samp, psi, sortedFinite, wasserstein } from '../../../../core/ml/drift/stats.ts';
import { itPython, runPython } from '../../../support/python.ts';

/** Deterministic numbers (no Math.random): a small LCG mapped to [0, 1). */
function numbers(n: number, seed: number, f: (u: number, i: number) => number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, (_, i) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return f(s / 2 ** 32, i);
  });
}

const a = numbers(300, 1, (u) => Math.round(u * 1000) / 10);
// Shifted and with ties; and a resample-like one.
const b = numbers(200, 2, (u) => Math.round((u * 80 + 15) * 4) / 4);
const c = numbers(250, 3, (u) => Math.round(u * 1000) / 10);
const observed = [48, 31, 12, 9];
const expected = [40, 35, 15, 10];
const p = [0.5, 0.3, 0.15, 0.05, 0];
const q = [0.2, 0.2, 0.2, 0.2, 0.2];

describe('drift statistics against scipy', () => {
  itPython('scipy', 'ks_2samp, wasserstein_distance, chisquare and jensenshannon equal scipy.stats within 1e-9', () => {
    const sp = runPython<{ ks: [number, number][]; wd: number[]; chi: [number, number]; js: number[] }>(
      `
import json, sys
from scipy import stats
from scipy.spatial.distance import jensenshannon
d = json.load(sys.stdin)
a, b, c = d['a'], d['b'], d['c']
def ks(x, y):
    r = stats.ks_2samp(x, y)
    en = len(x) * len(y) / (len(x) + len(y))
    return [float(r.statistic), float(stats.kstwobign.sf(r.statistic * en ** 0.5))]
chi = stats.chisquare(d['obs'], d['exp'])
print(json.dumps({
  'ks': [ks(a, b), ks(a, c)],
  'wd': [float(stats.wasserstein_distance(a, b)), float(stats.wasserstein_distance(a, c))],
  'chi': [float(chi.statistic), float(chi.pvalue)],
  'js': [float(jensenshannon(d['p'], d['q'], base=2)), float(jensenshannon(d['obs'], d['exp'], base=2))],
}))
`,
      { a, b, c, obs: observed, exp: expected, p, q },
    );
    const [sa, sb, sc] = [sortedFinite(a), sortedFinite(b), sortedFinite(c)];
    const ours = [ks2samp(sa, sb), ks2samp(sa, sc)];
    for (let i = 0; i < 2; i++) {
      expect(ours[i].statistic).toBeCloseTo(sp.ks[i][0], 9);
      expect(ours[i].pValue).toBeCloseTo(sp.ks[i][1], 9);
    }
    expect(ours[0].statistic).toBeGreaterThan(ours[1].statistic);
    expect(wasserstein(sa, sb)).toBeCloseTo(sp.wd[0], 9);
    expect(wasserstein(sa, sc)).toBeCloseTo(sp.wd[1], 9);
    const chi = chiSquare(observed, expected);
    expect(chi.statistic).toBeCloseTo(sp.chi[0], 9);
    expect(chi.pValue).toBeCloseTo(sp.chi[1], 9);
    expect(jensenShannon(p, q)).toBeCloseTo(sp.js[0], 9);
    expect(jensenShannon(observed, expected)).toBeCloseTo(sp.js[1], 9);
  });

  it('PSI equals the hand-computed sum of (a − e)·ln(a/e), an empty bin counted as 0.0001', () => {
    const e = [0.25, 0.25, 0.25, 0.25, 0];
    const act = [0.1, 0.2, 0.3, 0.4, 0];
    // (0.1-0.25)ln(0.4) + (0.2-0.25)ln(0.8) + (0.3-0.25)ln(1.2) + (0.4-0.25)ln(1.6) + 0
    const hand = -0.15 * Math.log(0.4) - 0.05 * Math.log(0.8) + 0.05 * Math.log(1.2) + 0.15 * Math.log(1.6);
    expect(psi(e, act)).toBeCloseTo(hand, 12);
    expect(Math.abs(psi(e, act) - 0.228218)).toBeLessThan(1e-5);
    // a bin empty on one side only: 0.0001 stands in for 0
    expect(psi([0.5, 0.5, 0], [0.5, 0.4, 0.1])).toBeCloseTo(-0.1 * Math.log(0.8) + (0.1 - 0.0001) * Math.log(0.1 / 0.0001), 12);
    expect(psi(e, e)).toBe(0);
  });

  it('bins values right-closed by the reference edges', () => {
    expect(binCounts(Float64Array.from([1, 2, 2, 3, 4, 5]), [2, 4])).toEqual([3, 2, 1]);
  });
});
