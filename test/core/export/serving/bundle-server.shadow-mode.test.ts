import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../../../../core/export/serving/server/request-log.ts';
import { post, startServer, tinyBundle, tinyExpected, tinyModel, tinyRows, type RunningServer } from '../../../support/serving.ts';

/** Shadow mode: the champion answers every request, the challenger scores them all on the side. */
let server: RunningServer;
let logPath: string;
const W2 = [-0.5, 1.0, 0.2];
const B2 = 0.4;
const rows = tinyRows(30);
const LOG_CAP = 16 * 1024;

beforeAll(async () => {
  const { dir } = await tinyBundle({ challenger: tinyModel('tiny_v2', W2, B2), routing: { mode: 'shadow' } });
  logPath = join(dir, 'requests.jsonl');
  server = await startServer(dir, { FLOWLINE_ACCESS_LOG: 'off', FLOWLINE_REQUEST_LOG: logPath, FLOWLINE_REQUEST_LOG_SAMPLE: '1', FLOWLINE_REQUEST_LOG_MAX_BYTES: String(LOG_CAP) });
}, 30_000);

afterAll(async () => {
  await server?.stop('SIGKILL');
});

type Families = ReturnType<typeof parsePrometheusTextFormat>;
const sum = (families: Families, name: string, labels: Record<string, string>) =>
  families
    .find((f) => f.name === name)
    ?.metrics.filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))
    .reduce((s, m) => s + Number(m.value), 0) ?? 0;

describe('shadow mode', () => {
  it('answers only from the champion while the challenger scores every row, and reports how often they agree', async () => {
    const champion = tinyExpected(rows);
    const challenger = tinyExpected(rows, W2, B2);
    for (let i = 0; i < rows.length; i++) {
      const res = await post(`${server.url}/predict`, rows[i], { 'x-flowline-key': `k${i}` });
      expect(res.headers.get('x-flowline-model')).toBe('tiny');
      expect(res.body.prediction).toBe(champion.predictions[i]);
    }
    // The shadow runs after each answer: wait for its last count, then compare.
    let families: Families;
    do families = parsePrometheusTextFormat(await (await fetch(`${server.url}/metrics`)).text());
    while (sum(families, 'flowline_model_rows_total', { model_name: 'tiny_v2', mode: 'shadow' }) < rows.length);
    expect(sum(families, 'flowline_model_rows_total', { model_name: 'tiny', mode: 'answered' })).toBe(rows.length);
    expect(sum(families, 'flowline_model_rows_total', { model_name: 'tiny_v2', mode: 'shadow' })).toBe(rows.length);
    expect(sum(families, 'flowline_model_rows_total', { model_name: 'tiny_v2', mode: 'answered' })).toBe(0);
    const agree = champion.predictions.filter((p, i) => p === challenger.predictions[i]).length;
    expect(agree).toBeGreaterThan(0);
    expect(agree).toBeLessThan(rows.length);
    while (sum(families, 'flowline_shadow_comparisons_total', {}) < rows.length) families = parsePrometheusTextFormat(await (await fetch(`${server.url}/metrics`)).text());
    expect(sum(families, 'flowline_shadow_comparisons_total', { result: 'agree' })).toBe(agree);
    expect(sum(families, 'flowline_shadow_comparisons_total', { result: 'disagree' })).toBe(rows.length - agree);
    const yes = challenger.predictions.filter((p) => p === 'yes').length;
    expect(sum(families, 'flowline_model_predictions_total', { model_name: 'tiny_v2', class: 'yes' })).toBe(yes);
  });

  it('writes sampled inputs and predictions of both models as JSON Lines, rotating at the size cap', async () => {
    // Enough traffic to pass the 16 KB cap at least once.
    for (let i = 0; i < 40; i++) await post(`${server.url}/predict`, rows.slice(0, 3));
    let families: Families;
    do families = parsePrometheusTextFormat(await (await fetch(`${server.url}/metrics`)).text());
    while (sum(families, 'flowline_model_rows_total', { model_name: 'tiny_v2', mode: 'shadow' }) < rows.length + 120);
    expect(existsSync(`${logPath}.1`)).toBe(true);
    expect(statSync(logPath).size).toBeLessThanOrEqual(LOG_CAP);
    expect(statSync(`${logPath}.1`).size).toBeLessThanOrEqual(LOG_CAP);
    const entries = readFileSync(logPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as RequestLogEntry);
    const answered = entries.find((e) => e.mode === 'answered')!;
    expect(answered).toMatchObject({ route: '/predict', model_name: 'tiny', role: 'champion', rows: 3 });
    expect(answered.inputs).toEqual({ x: rows.slice(0, 3).map((r) => r.x), flag: rows.slice(0, 3).map((r) => (r.flag ? 1 : 0)), color: rows.slice(0, 3).map((r) => r.color) });
    expect(answered.predictions).toEqual(tinyExpected(rows.slice(0, 3)).predictions);
    expect(answered.probabilities![0][1]).toBeCloseTo(tinyExpected(rows.slice(0, 1)).probabilities[0][1], 12);
    const shadow = entries.find((e) => e.mode === 'shadow' && e.request_id === answered.request_id);
    expect(shadow).toMatchObject({ model_name: 'tiny_v2', role: 'challenger', predictions: tinyExpected(rows.slice(0, 3), W2, B2).predictions });
  });
});
