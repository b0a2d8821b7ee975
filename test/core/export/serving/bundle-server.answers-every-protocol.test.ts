import { spawnSync } from 'node:child_process';
import { request } from 'node:http';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startServer, tinyBundle, tinyExpected, tinyRows, type RunningServer } from '../../../support/serving.ts';

type Family = ReturnType<typeof parsePrometheusTextFormat>[number];

let server: RunningServer;
let dir: string;
const rows = tinyRows(7, 3);
const expected = tinyExpected(rows);

beforeAll(async () => {
  dir = (await tinyBundle()).dir;
  server = await startServer(dir, { FLOWLINE_ACCESS_LOG: 'on' });
}, 30_000);

afterAll(async () => {
  await server?.stop('SIGKILL');
});

function closeTo(actual: number[][], want: number[][]) {
  expect(actual.length).toBe(want.length);
  actual.forEach((row, r) => row.forEach((p, j) => expect(p).toBeCloseTo(want[r][j], 12)));
}

describe('the bundle server, started with plain node from the bundle folder', () => {
  it('replays the golden requests over v2, /invocations (split, records, CSV) and /predict with the exported answers', () => {
    const r = spawnSync(process.execPath, ['replay.js', server.url], { cwd: dir, encoding: 'utf8' });
    expect(r.stdout).toContain('all golden requests match');
    expect(r.stdout.match(/^ok /gm)?.length).toBe(5);
    expect(r.status).toBe(0);
  });

  it('v2 infer takes one input per column (pd, BYTES strings) and answers the v2 response shape', async () => {
    const res = await post(`${server.url}/v2/models/tiny/infer`, {
      id: 'r1',
      parameters: { content_type: 'pd' },
      inputs: [
        { name: 'x', datatype: 'FP64', shape: [rows.length], data: rows.map((r) => r.x) },
        { name: 'flag', datatype: 'BOOL', shape: [rows.length, 1], data: rows.map((r) => r.flag) },
        { name: 'color', datatype: 'BYTES', shape: [rows.length], parameters: { content_type: 'str' }, data: rows.map((r) => r.color) },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ model_name: 'tiny', id: 'r1' });
    const outputs = res.body.outputs as { name: string; datatype: string; shape: number[]; data: (string | number)[] }[];
    const label = outputs.find((o) => o.name === 'label')!;
    const proba = outputs.find((o) => o.name === 'probabilities')!;
    expect(label).toMatchObject({ datatype: 'BYTES', shape: [rows.length], data: expected.predictions });
    expect(proba.shape).toEqual([rows.length, 2]);
    closeTo(rows.map((_, r) => (proba.data as number[]).slice(2 * r, 2 * r + 2)), expected.probabilities);
  });

  it('v2 infer takes one [N, k] tensor in the metadata column order, and honours the requested outputs', async () => {
    const meta = (await (await fetch(`${server.url}/v2/models/tiny`)).json()) as { inputs: { name: string; datatype: string }[]; outputs: { name: string }[] };
    expect(meta.inputs.map((i) => [i.name, i.datatype])).toEqual([['x', 'FP64'], ['flag', 'BOOL'], ['color', 'BYTES']]);
    expect(meta.outputs.map((o) => o.name)).toEqual(['label', 'probabilities']);
    const res = await post(`${server.url}/v2/models/tiny/infer`, {
      inputs: [{ name: 'input', datatype: 'BYTES', shape: [rows.length, 3], data: rows.flatMap((r) => [r.x, r.flag, r.color]) }],
      outputs: [{ name: 'label' }],
    });
    expect(res.status).toBe(200);
    const outputs = res.body.outputs as { name: string; data: string[] }[];
    expect(outputs.map((o) => o.name)).toEqual(['label']);
    expect(outputs[0].data).toEqual(expected.predictions);
  });

  it('/invocations reads dataframe_split, dataframe_records, instances, inputs and CSV alike', async () => {
    const cols = ['color', 'x', 'flag'];
    const bodies = [
      { dataframe_split: { columns: cols, data: rows.map((r) => cols.map((c) => r[c])) } },
      { dataframe_records: rows },
      { instances: rows },
      { instances: rows.map((r) => [r.x, r.flag, r.color]) },
      { inputs: { x: rows.map((r) => r.x), flag: rows.map((r) => r.flag), color: rows.map((r) => r.color) } },
    ];
    for (const body of bodies) {
      const res = await post(`${server.url}/invocations`, body);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.predictions).toEqual(expected.predictions);
    }
    const csv = `x,flag,color\n${rows.map((r) => `${r.x},${r.flag},"${r.color}"`).join('\r\n')}\n`;
    const res = await post(`${server.url}/invocations`, csv, { 'content-type': 'text/csv' });
    expect(res.body.predictions).toEqual(expected.predictions);
  });

  it('/predict answers a record with its label, class probabilities and the model version; a list row by row', async () => {
    const manifest = (await (await fetch(`${server.url}/version`)).json()) as { models: { version: string }[] };
    const one = await post(`${server.url}/predict`, rows[0]);
    expect(one.body).toMatchObject({ prediction: expected.predictions[0], model: 'tiny', model_version: manifest.models[0].version });
    expect((one.body.probabilities as Record<string, number>).yes).toBeCloseTo(expected.probabilities[0][1], 12);
    const many = await post(`${server.url}/predict`, rows);
    const answers = many.body.predictions as { prediction: string; probabilities: Record<string, number> }[];
    expect(answers.map((a) => a.prediction)).toEqual(expected.predictions);
    closeTo(answers.map((a) => [a.probabilities.no, a.probabilities.yes]), expected.probabilities);
    expect(many.headers.get('x-flowline-model-version')).toBe(manifest.models[0].version);
  });

  it('/metrics parses as Prometheus text and counts the requests, rows and predicted classes served so far', async () => {
    const before = parsePrometheusTextFormat(await (await fetch(`${server.url}/metrics`)).text());
    const value = (families: Family[], name: string, labels: Record<string, string> = {}) =>
      families
        .find((f) => f.name === name)
        ?.metrics.filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))
        .reduce((s, m) => s + Number(m.value ?? m.count ?? 0), 0) ?? 0;
    await post(`${server.url}/predict`, rows);
    await post(`${server.url}/predict`, rows.slice(0, 2));
    const after = parsePrometheusTextFormat(await (await fetch(`${server.url}/metrics`)).text());
    const diff = (name: string, labels?: Record<string, string>) => value(after, name, labels) - value(before, name, labels);
    expect(diff('flowline_http_requests_total', { route: '/predict', status: '200' })).toBe(2);
    expect(diff('flowline_model_rows_total', { model_name: 'tiny', role: 'champion', mode: 'answered' })).toBe(rows.length + 2);
    const yes = expected.predictions.filter((p) => p === 'yes').length + expected.predictions.slice(0, 2).filter((p) => p === 'yes').length;
    expect(diff('flowline_model_predictions_total', { class: 'yes' })).toBe(yes);
    expect(diff('flowline_model_requests_total', { model_name: 'tiny', mode: 'answered' })).toBe(2);
    // (this parser folds labelled histogram series into one sample, so only their type is checked)
    expect(after.find((f) => f.name === 'flowline_http_request_duration_seconds')!.type).toBe('HISTOGRAM');
    expect(after.find((f) => f.name === 'flowline_model_inference_duration_seconds')!.type).toBe('HISTOGRAM');
    expect(value(after, 'flowline_model_ready', { model_name: 'tiny' })).toBe(1);
    expect(value(after, 'process_resident_memory_bytes')).toBeGreaterThan(1e6);
  });

  it('health: live, ready, /ping, v2 server metadata; every request is one JSON access-log line', async () => {
    for (const path of ['/v2/health/live', '/v2/health/ready', '/ping', '/v2', '/v2/models/tiny/ready']) expect((await fetch(`${server.url}${path}`)).status, path).toBe(200);
    const line = server.logs.find((l) => l.event === 'request' && l.route === '/predict');
    expect(line).toMatchObject({ level: 'info', method: 'POST', status: 200, model_name: 'tiny' });
    expect(typeof line!.duration_ms).toBe('number');
    // every line starts with its time and the process, then the entry's own fields in order
    expect(Object.keys(line!)).toEqual(['time', 'pid', 'level', 'event', 'request_id', 'method', 'path', 'route', 'status', 'duration_ms', 'rows', 'model_name', 'model_version', 'remote']);
    // a caller's request id travels into the line as JSON text, quotes and all
    const id = 'say "hi" \\ ünïcode\ttab';
    expect((await post(`${server.url}/predict`, tinyRows(1)[0], { 'x-request-id': id })).status).toBe(200);
    // the line leaves at the end of the server's event-loop turn: wait for it to arrive (up to 30 s: a loaded CI machine)
    for (let i = 0; i < 3000 && !server.logs.some((l) => l.request_id === id); i++) await new Promise((r) => setTimeout(r, 10));
    expect(server.logs.find((l) => l.request_id === id)).toMatchObject({ event: 'request', path: '/predict', route: '/predict', status: 200, rows: 1, remote: '127.0.0.1' });
    expect(new Date(line!.time as string).toISOString()).toBe(line!.time);
    expect(line!.pid).toBe(server.proc.pid);
    expect(server.logs.every((l) => !('unparsed' in l))).toBe(true);
  });

  it('on SIGTERM finishes the request in flight, refuses new connections and exits 0', async () => {
    const body = JSON.stringify(rows[0]);
    const { port } = new URL(server.url);
    const answer = new Promise<{ status: number; text: string }>((done, fail) => {
      const req = request({ host: '127.0.0.1', port, path: '/predict', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => done({ status: res.statusCode!, text }));
      });
      req.on('error', fail);
      // Half the body now: once the server counts it in flight, SIGTERM; the rest once it is stopping.
      req.write(body.slice(0, 5));
      void (async () => {
        while (!/^flowline_http_requests_in_flight 2$/m.test(await (await fetch(`${server.url}/metrics`)).text()));
        server.proc.kill('SIGTERM');
        const wait = setInterval(() => {
          if (server.logs.some((l) => l.event === 'stopping')) {
            clearInterval(wait);
            req.end(body.slice(5));
          }
        }, 5);
      })();
    });
    const res = await answer;
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text).prediction).toBe(expected.predictions[0]);
    expect(await server.stop()).toBe(0);
    expect(server.logs.find((l) => l.event === 'stopping')).toMatchObject({ in_flight: 1 });
  });
});
