import { describe, expect, it } from 'vitest';
import { lbfgs } from '../../../../../core/ml/learners/optim/lbfgs.ts';

describe('lbfgs', () => {
  it('minimises the 10-dimensional Rosenbrock function to its optimum at all ones', () => {
    const n = 10;
    const rosen = (x: Float64Array, g: Float64Array): number => {
      let f = 0;
      g.fill(0);
      for (let i = 0; i < n - 1; i++) {
        const a = x[i + 1] - x[i] * x[i];
        const b = 1 - x[i];
        f += 100 * a * a + b * b;
        g[i] += -400 * x[i] * a - 2 * b;
        g[i + 1] += 200 * a;
      }
      return f;
    };
    const r = lbfgs(rosen, new Float64Array(n).fill(-1.2), { maxIter: 1000, gtol: 1e-8, ftol: 0 });
    expect(r.converged).toBe(true);
    for (const v of r.x) expect(v).toBeCloseTo(1, 6);
  });
  it('solves a badly scaled quadratic in about as many iterations as scipy', () => {
    // f = ½ Σ cᵢ (xᵢ − i)², condition number 1e4; scipy's L-BFGS-B needs 468 iterations for gtol 1e-6
    const c = Float64Array.from({ length: 20 }, (_, i) => 10 ** ((4 * i) / 19));
    const fg = (x: Float64Array, g: Float64Array) => {
      let f = 0;
      for (let i = 0; i < x.length; i++) {
        const d = x[i] - i;
        f += 0.5 * c[i] * d * d;
        g[i] = c[i] * d;
      }
      return f;
    };
    const r = lbfgs(fg, new Float64Array(20), { maxIter: 2000, gtol: 1e-6, ftol: 0 });
    expect(r.converged).toBe(true);
    expect(r.iterations).toBeLessThan(600);
    r.x.forEach((v, i) => expect(v).toBeCloseTo(i, 4));
  });
  it('stops on the relative decrease rule (ftol) when gtol is out of reach', () => {
    const fg = (x: Float64Array, g: Float64Array) => {
      g[0] = 4 * x[0] ** 3;
      return x[0] ** 4;
    };
    const r = lbfgs(fg, Float64Array.of(3), { maxIter: 10_000, gtol: 0, ftol: 1e-6 });
    expect(r.converged).toBe(true);
    expect(r.iterations).toBeLessThan(10_000);
    expect(Math.abs(r.x[0])).toBeLessThan(0.1);
  });
  it('reports each iteration and lets the caller stop it', () => {
    const seen: number[] = [];
    const fg = (x: Float64Array, g: Float64Array) => {
      g[0] = 2 * (x[0] - 5) + Math.cos(x[0]);
      return (x[0] - 5) ** 2 + Math.sin(x[0]);
    };
    expect(() =>
      lbfgs(fg, Float64Array.of(0), {
        gtol: 0,
        ftol: 0,
        onIter: (it) => {
          seen.push(it);
          if (it === 2) throw new Error('cancelled');
        },
      }),
    ).toThrow('cancelled');
    expect(seen).toEqual([1, 2]);
  });
});
