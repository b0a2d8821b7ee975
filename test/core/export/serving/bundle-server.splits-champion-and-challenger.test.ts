import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startServer, tinyBundle, tinyExpected, tinyModel, tinyRows, type RunningServer } from '../../../support/serving.ts';

/** A/B split 90/10: shares are exact by construction (hashed keys, counter without a key). */
let server: RunningServer;
const W2 = [-0.5, 1.0, 0.2];
const B2 = 0.4;

beforeAll(async () => {
  const { dir, manifest } = await tinyBundle({ challenger: tinyModel('tiny_v2', W2, B2), routing: { mode: 'ab', challengerPercent: 10 } });
  expect(manifest.models.map((m) => [m.name, m.role])).toEqual([['tiny', 'champion'], ['tiny_v2', 'challenger']]);
  server = await startServer(dir, { FLOWLINE_ACCESS_LOG: 'off' });
}, 30_000);

afterAll(async () => {
  await server?.stop('SIGKILL');
});

async function inParallel<T>(n: number, width: number, work: (i: number) => Promise<T>): Promise<T[]> {
  const out = new Array<T>(n);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < n) {
      const i = next++;
      out[i] = await work(i);
    }
  }));
  return out;
}

describe('champion / challenger A/B split', () => {
  const row = tinyRows(1, 5)[0];

  it('sends 10% ± 2% of 5,000 keyed requests to the challenger, each answered by the model it names', async () => {
    const champion = tinyExpected([row]).probabilities[0][1];
    const challenger = tinyExpected([row], W2, B2).probabilities[0][1];
    const served = await inParallel(5000, 16, async (i) => {
      const res = await post(`${server.url}/predict`, row, { 'x-flowline-key': `customer-${i}` });
      const model = res.headers.get('x-flowline-model')!;
      expect(res.body.model).toBe(model);
      expect((res.body.probabilities as Record<string, number>).yes).toBeCloseTo(model === 'tiny' ? champion : challenger, 12);
      return model;
    });
    const share = served.filter((m) => m === 'tiny_v2').length / served.length;
    expect(share).toBeGreaterThanOrEqual(0.08);
    expect(share).toBeLessThanOrEqual(0.12);
  }, 60_000);

  it('is sticky: the same key always lands on the same model', async () => {
    for (const key of ['customer-1', 'customer-17', 'customer-42', 'someone@example.com']) {
      const models = new Set<string>();
      for (let k = 0; k < 5; k++) models.add((await post(`${server.url}/predict`, row, { 'x-flowline-key': key })).headers.get('x-flowline-model')!);
      expect(models.size).toBe(1);
    }
  });

  it('without a key, exactly one request in ten goes to the challenger', async () => {
    const served = [];
    for (let i = 0; i < 100; i++) served.push((await post(`${server.url}/invocations`, { dataframe_records: [row] })).headers.get('x-flowline-model'));
    expect(served.filter((m) => m === 'tiny_v2').length).toBe(10);
  });

  it('the challenger can be asked for by name, and /metrics counts each model apart', async () => {
    const res = await post(`${server.url}/v2/models/tiny_v2/infer`, { inputs: [{ name: 'input', datatype: 'BYTES', shape: [1, 3], data: [row.x, row.flag, row.color] }] });
    expect(res.body.model_name).toBe('tiny_v2');
    const families = parsePrometheusTextFormat(await (await fetch(`${server.url}/metrics`)).text());
    const requests = families.find((f) => f.name === 'flowline_model_requests_total')!.metrics;
    const count = (name: string) => requests.filter((m) => m.labels?.model_name === name).reduce((s, m) => s + Number(m.value), 0);
    expect(count('tiny') + count('tiny_v2')).toBe(5000 + 20 + 100 + 1);
    expect(count('tiny_v2')).toBeGreaterThan(400);
    expect(requests.find((m) => m.labels?.model_name === 'tiny_v2')!.labels!.role).toBe('challenger');
  });
});
