import { describe, expect, it } from 'vitest';
import { silhouetteScore, SILHOUETTE_MAX_ROWS } from '../../../core/ml/silhouette.ts';
import { Rng } from '../../../core/spec/random.ts';
import { describePython, runPython } from '../../support/python.ts';

/** Three blobs in 3 dimensions, one row alone in a fourth cluster (its s is 0). */
function blobs(n: number): { X: { data: Float64Array; rows: number; cols: number }; labels: number[] } {
  const rng = new Rng(7);
  const data = new Float64Array(n * 3);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i === n - 1 ? 9 : i % 3;
    labels.push(c);
    for (let j = 0; j < 3; j++) data[i * 3 + j] = (c === 9 ? 20 : c * 3 * (j === c % 3 ? 1 : 0.2)) + rng.normal();
  }
  return { X: { data, rows: n, cols: 3 }, labels };
}

describePython('sklearn', 'silhouette score', () => {
  it('equals scikit-learn 1.2 silhouette_score within 1e-12, a singleton cluster included', () => {
    const { X, labels } = blobs(301);
    const expected = runPython<number>(
      'import json, sys, numpy as np\nfrom sklearn.metrics import silhouette_score\nd = json.load(sys.stdin)\nprint(json.dumps(float(silhouette_score(np.array(d["X"]).reshape(-1, 3), d["labels"]))))',
      { X: Array.from(X.data), labels },
    );
    const ours = silhouetteScore(X, labels);
    expect(ours.rows).toBe(301);
    expect(Math.abs(ours.value! - expected)).toBeLessThan(1e-12);
  });
});

describe('silhouette score', () => {
  it('is undefined for one cluster or one cluster per row', () => {
    const { X } = blobs(10);
    expect(silhouetteScore(X, new Array(10).fill(2)).value).toBeNull();
    expect(silhouetteScore(X, Array.from({ length: 10 }, (_, i) => i)).value).toBeNull();
  });

  it(`uses a seeded sample of ${SILHOUETTE_MAX_ROWS} rows above that, the same on every run`, () => {
    const n = SILHOUETTE_MAX_ROWS + 50;
    const { X, labels } = blobs(n);
    const a = silhouetteScore(X, labels), b = silhouetteScore(X, labels);
    expect(a.rows).toBe(SILHOUETTE_MAX_ROWS);
    expect(a.value).toBe(b.value);
    expect(a.value).toBeGreaterThan(0.3);
  });
});
