import { describe, expect, it } from 'vitest';
import { FlowlineError } from '../../../core/spec/index.ts';
import { runSearch, type Params, type TuneMethod } from '../../../core/ml/tune/index.ts';
import { gridPoints } from '../../../core/ml/tune/grid.ts';
import { parseSpace } from '../../../core/ml/tune/space.ts';

const SPACE = {
  x: { float: [-5, 5] },
  lr: { float: [1e-4, 1], log: true },
  depth: { int: [1, 20] },
  c: { choice: ['a', 'b', 'c'] },
};
/** Cheap objective with its minimum 0 at x=1.5, lr=0.01, depth=7, c='b'. */
const objective = (p: Params) =>
  (Number(p.x) - 1.5) ** 2 + (Math.log10(Number(p.lr)) + 2) ** 2 + (Number(p.depth) - 7) ** 2 / 10 + (p.c === 'b' ? 0 : 2);

async function search(method: TuneMethod, seed: number, nTrials: number, delay = false) {
  return runSearch({
    space: SPACE,
    method,
    nTrials,
    seed,
    direction: 'min',
    concurrency: 2,
    evaluate: async (p, i) => {
      // Finish out of order: determinism must not depend on which worker returns first. Event-loop
      // turns, not milliseconds, so the order is the same on a loaded machine.
      if (delay) for (let turn = 0; turn < ((i * 7) % 3) * 4; turn++) await new Promise((r) => setImmediate(r));
      return objective(p);
    },
  });
}

describe('tuning methods on a synthetic objective', () => {
  for (const method of ['random', 'bayes', 'genetic'] as const) {
    it(`${method} finds the optimum region`, async () => {
      const { best, trials: all } = await search(method, 2, 80);
      expect(all).toHaveLength(80);
      expect(best.score).toBeLessThan(1.5);
      expect(best.params.c).toBe('b');
      expect(Math.abs(Number(best.params.x) - 1.5)).toBeLessThan(1.2);
    });

    it(`${method} is deterministic for a seed, whatever order trials finish in`, async () => {
      const a = await search(method, 11, 30);
      const b = await search(method, 11, 30, true);
      expect(b.trials.map((t) => t.params)).toEqual(a.trials.map((t) => t.params));
      const c = await search(method, 12, 30);
      expect(c.trials.map((t) => t.params)).not.toEqual(a.trials.map((t) => t.params));
    });
  }

  it('bayes and genetic beat random search over several seeds (median best of 5)', async () => {
    const median = async (method: TuneMethod) => {
      const bests: number[] = [];
      for (let seed = 1; seed <= 5; seed++) bests.push((await search(method, seed, 80)).best.score);
      return bests.sort((a, b) => a - b)[2];
    };
    const random = await median('random');
    expect(await median('bayes')).toBeLessThan(random);
    expect(await median('genetic')).toBeLessThan(random);
  });

  it('bayes (TPE) beats its own random start-up phase', async () => {
    const { trials } = await search('bayes', 3, 60);
    const startup = Math.min(...trials.slice(0, 10).map((t) => t.score));
    const modelled = Math.min(...trials.slice(10).map((t) => t.score));
    expect(modelled).toBeLessThan(startup);
  });

  it('grid enumerates a small space exactly and finds its best point', async () => {
    const space = { depth: { int: [1, 3] }, c: { choice: ['a', 'b'] } };
    const pts = gridPoints(parseSpace(space), 100, 1);
    expect(pts).toHaveLength(6);
    const r = await runSearch({ space, method: 'grid', nTrials: 100, seed: 1, direction: 'max', evaluate: async (p) => Number(p.depth) + (p.c === 'b' ? 10 : 0) });
    expect(r.trials).toHaveLength(6);
    expect(r.best.params).toEqual({ c: 'b', depth: 3 });
  });

  it('grid shrinks its resolution to fit the trial budget, log-spaced where asked', () => {
    const pts = gridPoints(parseSpace({ lr: { float: [0.001, 1], log: true }, x: { float: [0, 1] } }), 16, 1);
    expect(pts.length).toBeLessThanOrEqual(16);
    const lrs = [...new Set(pts.map((p) => p.lr as number))].sort((a, b) => a - b);
    expect(lrs.length).toBe(4);
    expect(lrs[1]).toBeCloseTo(0.01, 10);
  });

  it('repeated params reuse the earlier score instead of refitting', async () => {
    let calls = 0;
    const r = await runSearch({ space: { c: { choice: ['a', 'b'] } }, method: 'random', nTrials: 10, seed: 1, direction: 'max', evaluate: async (p) => (calls++, p.c === 'a' ? 1 : 0) });
    expect(calls).toBe(2);
    expect(r.trials.filter((t) => t.repeatOf !== undefined)).toHaveLength(8);
  });

  it('failed trials are recorded; all failing is an error', async () => {
    const r = await runSearch({ space: { x: { float: [0, 1] } }, method: 'random', nTrials: 6, seed: 1, direction: 'max', evaluate: async (p) => { if (Number(p.x) < 0.5) throw new Error('too small'); return Number(p.x); } });
    expect(r.trials.some((t) => t.error === 'too small')).toBe(true);
    expect(r.best.score).toBeGreaterThanOrEqual(0.5);
    await expect(runSearch({ space: { x: { float: [0, 1] } }, method: 'random', nTrials: 3, seed: 1, direction: 'max', evaluate: async () => { throw new Error('nope'); } })).rejects.toThrow(/Every tuning trial failed.*nope/);
    const missing = new FlowlineError({ code: 'BAD_DATA', column: 'age', message: 'Feature "age" has 3 missing values.', hint: 'Add an Impute step.' });
    await expect(runSearch({ space: { x: { float: [0, 1] } }, method: 'random', nTrials: 3, seed: 1, direction: 'max', evaluate: async () => { throw missing; } })).rejects.toMatchObject({ code: 'BAD_DATA', column: 'age', hint: 'Add an Impute step.', message: expect.stringMatching(/Every tuning trial failed.*"age"/) });
  });

  it('a malformed space is an INVALID_PARAM error naming the parameter', () => {
    expect(() => parseSpace({ max_depth: { int: [2.5, 5] } })).toThrow(/"max_depth"/);
    expect(() => parseSpace({ lr: { float: [0, 1], log: true } })).toThrow(/log-scaled/);
    expect(() => parseSpace({})).toThrow(/empty/);
  });
});
