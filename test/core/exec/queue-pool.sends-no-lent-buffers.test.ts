import { serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { sharedFloat64 } from '../../../core/data/shared-arrays.ts';
import { portablePayload } from '../../../core/exec/queue-pool.ts';

/**
 * A streamed Predict lends each chunk's prediction task the shared arrays the chunk's answer goes
 * into; on the queue (`flowline run --queue`) those arrays travelled too: megabytes per chunk,
 * holding the previous chunk's predictions, stored with the job's input and hashed into its id.
 * (A task sent without them answers with its predictions: predict-stream.reuses-chunk-buffers.)
 */
describe('a queued task is sent without the arrays it was lent for its answer', () => {
  const rows = 131_072;
  const X = { data: new Float64Array(rows * 2).fill(1), rows, cols: 2 };
  const lent = () => ({ values: sharedFloat64(rows), proba: sharedFloat64(rows * 2), from: 0 });

  it('drops `into`, keeping the rest of the payload', () => {
    const payload = { kind: 'logistic_regression', state: { w: [1, 2] }, X, into: lent() };
    const portable = portablePayload(payload) as Record<string, unknown>;
    expect(Object.keys(portable).sort()).toEqual(['X', 'kind', 'state']);
    // The matrix is 2 MB; the lent arrays were 3 MB more.
    expect(serialize(portable).length).toBeLessThan(rows * 2 * 8 + 10_000);
    expect(serialize(payload).length).toBeGreaterThan(rows * 5 * 8);
  });

  it('gives the same stored input whatever the lent arrays held (the previous chunk)', () => {
    const stale = lent();
    stale.values.fill(1);
    const a = serialize(portablePayload({ kind: 'k', state: null, X, into: lent() }));
    const b = serialize(portablePayload({ kind: 'k', state: null, X, into: stale }));
    expect(Buffer.compare(a, b)).toBe(0);
  });
});
