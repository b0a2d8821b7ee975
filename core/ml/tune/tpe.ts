/**
 * Bayesian optimisation with the Tree-structured Parzen Estimator (Bergstra et al. 2011, as in
 * hyperopt / Optuna): after a few random trials, split the history into the best γ share ("good")
 * and the rest; model each dimension with a Parzen density l(x) over the good trials and g(x) over
 * the rest; draw candidates from l and keep the one that maximises l(x)/g(x).
 * Works in the unit cube of space.ts; numeric dimensions use truncated Gaussians on [0, 1],
 * choices a smoothed categorical. Seeded: same seed and history → same proposals.
 */
import { Rng } from '../../spec/random.ts';
import { decode, randomPoint, type Dim } from './space.ts';
import type { Sampler, Trial } from './types.ts';

export interface TpeOptions {
  /** Random trials before the model takes over. */
  startup?: number;
  /** Candidates drawn from l(x) per proposal. */
  candidates?: number;
}

interface Parzen {
  mus: number[];
  sigmas: number[];
}

/** Mixture of truncated Gaussians over the observed coordinates plus a wide prior at the centre. */
function numericParzen(xs: number[]): Parzen {
  const mus = [...xs, 0.5].sort((a, b) => a - b);
  const n = mus.length;
  const minSigma = 1 / Math.min(100, 1 + n);
  const sigmas = mus.map((m, i) => {
    const left = i > 0 ? m - mus[i - 1] : m;
    const right = i < n - 1 ? mus[i + 1] - m : 1 - m;
    return Math.min(1, Math.max(minSigma, left, right));
  });
  // the prior component keeps the full width so no region gets zero density
  const p = mus.indexOf(0.5);
  sigmas[p] = 1;
  return { mus, sigmas };
}

function erf(x: number): number {
  // Abramowitz–Stegun 7.1.26, |error| < 1.5e-7: plenty for a density ratio
  const s = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
}
const phi = (z: number) => 0.5 * (1 + erf(z / Math.SQRT2));

function parzenDensity(p: Parzen, x: number): number {
  let s = 0;
  for (let i = 0; i < p.mus.length; i++) {
    const sig = p.sigmas[i];
    const mass = phi((1 - p.mus[i]) / sig) - phi((0 - p.mus[i]) / sig);
    const z = (x - p.mus[i]) / sig;
    s += Math.exp(-0.5 * z * z) / (sig * Math.sqrt(2 * Math.PI) * Math.max(mass, 1e-12));
  }
  return s / p.mus.length;
}

function parzenSample(p: Parzen, rng: Rng): number {
  const i = rng.int(p.mus.length);
  for (let tries = 0; tries < 50; tries++) {
    const x = p.mus[i] + p.sigmas[i] * rng.normal();
    if (x >= 0 && x <= 1) return x;
  }
  return Math.min(1, Math.max(0, p.mus[i]));
}

/**
 * Smoothed category frequencies. The pseudo-count grows with the observations so that one early
 * favourite cannot starve the other choices of proposals.
 */
function categorical(xs: number[], k: number): number[] {
  const w = new Array<number>(k).fill(Math.max(1, xs.length / (2 * k)));
  for (const x of xs) w[Math.min(k - 1, Math.floor(x * k))]++;
  const s = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / s);
}

export function tpeSampler(dims: Dim[], seed: number, options: TpeOptions = {}): Sampler {
  const rng = new Rng(seed);
  const startup = options.startup ?? 10;
  const nCandidates = options.candidates ?? 24;
  return {
    propose(history: Trial[], count: number) {
      const done = history.filter((t) => Number.isFinite(t.loss));
      const out = [];
      for (let q = 0; q < count; q++) {
        if (done.length < startup) {
          out.push(decode(dims, randomPoint(dims, rng)));
          continue;
        }
        const sorted = [...done].sort((a, b) => a.loss - b.loss || a.index - b.index);
        const nGood = Math.max(1, Math.min(25, Math.ceil(0.25 * sorted.length)));
        const good = sorted.slice(0, nGood), bad = sorted.slice(nGood);
        const models = dims.map((d, j) => {
          const gx = good.map((t) => t.u[j]), bx = bad.map((t) => t.u[j]);
          if (d.kind === 'choice') return { kind: 'cat' as const, l: categorical(gx, d.choices.length), g: categorical(bx, d.choices.length) };
          return { kind: 'num' as const, l: numericParzen(gx), g: numericParzen(bx) };
        });
        let best: number[] = [], bestScore = -Infinity;
        for (let c = 0; c < nCandidates; c++) {
          let score = 0;
          const u = models.map((m) => {
            if (m.kind === 'cat') {
              let r = rng.next(), i = 0;
              while (i < m.l.length - 1 && r >= m.l[i]) r -= m.l[i++];
              score += Math.log(m.l[i]) - Math.log(m.g[i]);
              return (i + 0.5) / m.l.length;
            }
            const x = parzenSample(m.l, rng);
            score += Math.log(parzenDensity(m.l, x)) - Math.log(parzenDensity(m.g, x));
            return x;
          });
          if (score > bestScore) {
            bestScore = score;
            best = u;
          }
        }
        out.push(decode(dims, best));
      }
      return out;
    },
  };
}
