import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startServer, tinyBundle, tinyExpected, tinyRows, type RunningServer } from '../../../support/serving.ts';

describe('POST /predict on its fast path', () => {
  let server: RunningServer;
  beforeAll(async () => {
    const bundle = await tinyBundle();
    server = await startServer(bundle.dir);
  }, 30_000);
  afterAll(async () => {
    await server?.stop('SIGKILL');
  });

  const logLine = async (id: string) => {
    for (let i = 0; i < 3000 && !server.logs.some((l) => l.request_id === id); i++) await new Promise((r) => setTimeout(r, 10));
    return server.logs.find((l) => l.request_id === id)!;
  };
  /** A log line without what differs between any two requests. */
  const stable = ({ time, pid, request_id, duration_ms, ...rest }: Record<string, unknown>) => (void [time, pid, request_id, duration_ms], rest);

  it('answers, logs and counts a plain JSON request as the general path does one with a charset', async () => {
    const row = tinyRows(1, 4)[0];
    // `application/json` alone takes the fast path; with a charset parameter, the general route table
    const fast = await post(`${server.url}/predict`, row, { 'x-request-id': 'fast-1' });
    const general = await post(`${server.url}/predict`, row, { 'x-request-id': 'general-1', 'content-type': 'application/json; charset=utf-8' });
    expect(fast.status).toBe(200);
    expect(fast.body).toEqual(general.body);
    // and the model's answer (the yardstick is the logistic function in JavaScript)
    const expected = tinyExpected([row]);
    expect(fast.body).toMatchObject({ prediction: expected.predictions[0], model: 'tiny' });
    expect((fast.body.probabilities as { yes: number }).yes).toBeCloseTo(expected.probabilities[0][1], 12);
    for (const h of ['content-type', 'x-flowline-model', 'x-flowline-model-version']) expect(fast.headers.get(h)).toBe(general.headers.get(h));
    expect([fast.headers.get('x-request-id'), general.headers.get('x-request-id')]).toEqual(['fast-1', 'general-1']);
    expect(stable(await logLine('fast-1'))).toEqual(stable(await logLine('general-1')));
    expect(await logLine('fast-1')).toMatchObject({ event: 'request', method: 'POST', path: '/predict', route: '/predict', status: 200, rows: 1, model_name: 'tiny', remote: '127.0.0.1' });

    // a list of records, and an answer without a request id: one is made up and sent back
    const list = await post(`${server.url}/predict`, tinyRows(3, 7));
    const listGeneral = await post(`${server.url}/predict`, tinyRows(3, 7), { 'content-type': 'application/json; charset=utf-8' });
    expect(list.body).toEqual(listGeneral.body);
    expect((list.body.predictions as { prediction: string }[]).map((p) => p.prediction)).toEqual(tinyExpected(tinyRows(3, 7)).predictions);
    expect(list.headers.get('x-request-id')).toMatch(/^[0-9a-z]+-[0-9a-z]+$/);

    const families = parsePrometheusTextFormat(await (await fetch(`${server.url}/metrics`)).text());
    const value = (name: string, labels: Record<string, string>) =>
      families.find((f) => f.name === name)!.metrics.filter((m) => Object.entries(labels).every(([k, v]) => (m as { labels: Record<string, string> }).labels[k] === v)).reduce((s, m) => s + Number((m as { value: string }).value), 0);
    expect(value('flowline_http_requests_total', { route: '/predict', status: '200' })).toBe(4);
    expect(value('flowline_model_requests_total', { mode: 'answered' })).toBe(4);
    expect(value('flowline_model_rows_total', { mode: 'answered' })).toBe(8);
    expect(value('flowline_model_predictions_total', {})).toBe(8);
  });

  it('names the column in its validation errors, with the request id, as the general path does', async () => {
    for (const [body, code, field] of [
      [{ ...tinyRows(1)[0], x: '1.5' }, 'NUMBER_AS_STRING', 'x'],
      [{ x: 1, flag: true }, 'MISSING_FIELD', 'color'],
      [[tinyRows(1)[0], { ...tinyRows(1)[0], flag: 'yes' }], 'WRONG_TYPE', 'flag'],
    ] as const) {
      const fast = await post(`${server.url}/predict`, body, { 'x-request-id': `bad-${field}` });
      const general = await post(`${server.url}/predict`, body, { 'content-type': 'application/json; charset=utf-8' });
      expect(fast.status).toBe(422);
      expect(fast.body).toEqual(general.body);
      expect(JSON.stringify(fast.body)).toContain(code);
      expect(JSON.stringify(fast.body)).toContain(`"${field}"`);
      expect(fast.headers.get('x-request-id')).toBe(`bad-${field}`);
    }
    const broken = await post(`${server.url}/predict`, '{"x": 1,', {});
    expect(broken.status).toBe(400);
    expect(broken.body.code).toBe('INVALID_JSON');
  });
});
