import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addChallenger } from '../../../../core/export/serving/bundle.ts';
import type { Manifest } from '../../../../core/export/serving/server/manifest.ts';
import { post, startServer, tinyBundle, tinyExpected, tinyModel, tinyRows, type RunningServer } from '../../../support/serving.ts';

/** A challenger added to an existing bundle, served by two worker processes behind one port. */
let server: RunningServer;
let dir: string;
let before: Manifest;
let after: Manifest;
const rows = tinyRows(10);

beforeAll(async () => {
  const first = await tinyBundle();
  dir = first.dir;
  before = first.manifest;
  after = (await addChallenger(dir, tinyModel('tiny_v2', [-0.5, 1.0, 0.2], 0.4), { mode: 'shadow' })).manifest;
  server = await startServer(dir, { FLOWLINE_WORKERS: '2', FLOWLINE_ACCESS_LOG: 'off', FLOWLINE_REQUEST_LOG: join(dir, 'requests.jsonl'), FLOWLINE_REQUEST_LOG_SAMPLE: '1' });
}, 30_000);

afterAll(async () => {
  await server?.stop('SIGKILL');
});

describe('a challenger added to an existing bundle, two workers', () => {
  it('keeps the champion as it was (version, golden requests) and adds the challenger in shadow mode', () => {
    expect(after.models[0]).toEqual(before.models[0]);
    expect(after.models[1]).toMatchObject({ name: 'tiny_v2', role: 'challenger' });
    expect(after.routing.mode).toBe('shadow');
    expect(JSON.parse(readFileSync(join(dir, 'golden', 'tiny.json'), 'utf8')).model_version).toBe(before.models[0].version);
  });

  it('/metrics sums every worker, and the primary writes one request log for all of them', async () => {
    for (let i = 0; i < 40; i++) {
      const res = await post(`${server.url}/predict`, rows[i % rows.length]);
      expect(res.body.prediction).toBe(tinyExpected([rows[i % rows.length]]).predictions[0]);
    }
    type Families = ReturnType<typeof parsePrometheusTextFormat>;
    const total = (f: Families, name: string, labels: Record<string, string>) =>
      f.find((x) => x.name === name)?.metrics.filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v)).reduce((s, m) => s + Number(m.value), 0) ?? 0;
    let families: Families;
    do families = parsePrometheusTextFormat(await (await fetch(`${server.url}/metrics`)).text());
    while (total(families, 'flowline_model_rows_total', { model_name: 'tiny_v2', mode: 'shadow' }) < 40);
    expect(total(families, 'flowline_http_requests_total', { route: '/predict', status: '200' })).toBe(40);
    expect(total(families, 'flowline_model_rows_total', { model_name: 'tiny', mode: 'answered' })).toBe(40);
    // both workers took requests, and each reported its own process
    const pids = new Set(server.logs.filter((l) => l.event === 'ready').map((l) => l.pid));
    expect(pids.size).toBe(2);
    const lines = readFileSync(join(dir, 'requests.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { mode: string });
    expect(lines.filter((l) => l.mode === 'answered')).toHaveLength(40);
  });

  it('SIGTERM stops both workers and the primary exits 0', async () => {
    expect(await server.stop('SIGTERM')).toBe(0);
    expect(server.logs.filter((l) => l.event === 'stopped')).toHaveLength(2);
  });
});
