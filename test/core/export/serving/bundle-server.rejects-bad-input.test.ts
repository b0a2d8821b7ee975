import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startServer, tinyBundle, tinyRows, type RunningServer } from '../../../support/serving.ts';

/**
 * Hundreds of malformed requests against one server: every one is a 4xx JSON answer that names
 * what is wrong (field and row where there is one), never a 5xx, never a stack trace, and the
 * server stays healthy.
 */
let server: RunningServer;

beforeAll(async () => {
  const { dir } = await tinyBundle();
  server = await startServer(dir, {
    FLOWLINE_ACCESS_LOG: 'off',
    FLOWLINE_UNKNOWN_CATEGORY: 'reject',
    FLOWLINE_EXTRA_FIELDS: 'reject',
    FLOWLINE_MAX_ROWS: '50',
    FLOWLINE_MAX_BODY_BYTES: String(1 << 20),
    // Long enough that no ordinary request on a loaded machine meets it; the slow-body test waits it out.
    FLOWLINE_BODY_TIMEOUT_MS: '3000',
  });
}, 30_000);

afterAll(async () => {
  await server?.stop('SIGKILL');
});

type Row = Record<string, unknown>;
interface Case {
  name: string;
  path: string;
  body: string | Buffer;
  contentType?: string;
  method?: string;
  status: number;
  code?: string;
  field?: string;
  row?: number;
}

const good = tinyRows(4);

/** A bad row in the middle of good ones, and what the answer must name. */
const ROW_CASES: { name: string; row: (r: Row) => Row; code: string; field: string; status?: number }[] = [
  { name: 'missing field', row: ({ x: _x, ...r }) => r, code: 'MISSING_FIELD', field: 'x' },
  { name: 'wrong type (object)', row: (r) => ({ ...r, x: { v: 1 } }), code: 'WRONG_TYPE', field: 'x' },
  { name: 'wrong type (boolean for number)', row: (r) => ({ ...r, x: true }), code: 'WRONG_TYPE', field: 'x' },
  { name: 'wrong type (number for text)', row: (r) => ({ ...r, color: 3 }), code: 'WRONG_TYPE', field: 'color' },
  { name: 'wrong type (text for boolean)', row: (r) => ({ ...r, flag: 'maybe' }), code: 'WRONG_TYPE', field: 'flag' },
  { name: 'number as string', row: (r) => ({ ...r, x: '1.5' }), code: 'NUMBER_AS_STRING', field: 'x' },
  { name: 'unknown category', row: (r) => ({ ...r, color: 'purple' }), code: 'UNKNOWN_CATEGORY', field: 'color' },
  { name: 'extra field', row: (r) => ({ ...r, surprise: 1 }), code: 'EXTRA_FIELD', field: 'surprise' },
  { name: 'null where the model had no missing values', row: (r) => ({ ...r, x: null }), code: 'MISSING_VALUE', field: 'x' },
  { name: 'non-finite (1e999)', row: (r) => ({ ...r, x: 'INF_TOKEN' }), code: 'NON_FINITE', field: 'x' },
  { name: 'non-finite (bare NaN)', row: (r) => ({ ...r, x: 'NAN_TOKEN' }), code: 'NON_FINITE', field: 'x' },
];

/** JSON with the placeholders turned into what Python's json.dumps / a big exponent would send. */
function json(value: unknown): string {
  return JSON.stringify(value).replace(/"INF_TOKEN"/g, '1e999').replace(/"NAN_TOKEN"/g, 'NaN');
}

const COLUMNS = ['x', 'flag', 'color'];

/** The same rows in each protocol's shape (only where that shape can express the bad value). */
function shapes(rows: Row[]): { name: string; path: string; body: string; extraNamed: boolean }[] {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const ordered = [...COLUMNS.filter((c) => columns.includes(c)), ...columns.filter((c) => !COLUMNS.includes(c))];
  const complete = rows.every((r) => ordered.every((c) => c in r));
  const out = [
    { name: '/predict list', path: '/predict', body: json(rows), extraNamed: true },
    { name: 'dataframe_records', path: '/invocations', body: json({ dataframe_records: rows }), extraNamed: true },
    { name: 'instances', path: '/invocations', body: json({ instances: rows }), extraNamed: true },
  ];
  if (complete) {
    out.push({ name: 'dataframe_split', path: '/invocations', body: json({ dataframe_split: { columns: ordered, data: rows.map((r) => ordered.map((c) => r[c])) } }), extraNamed: true });
    out.push({ name: 'inputs (columns)', path: '/invocations', body: json({ inputs: Object.fromEntries(ordered.map((c) => [c, rows.map((r) => r[c])])) }), extraNamed: true });
    out.push({
      name: 'v2 pd',
      path: '/v2/models/tiny/infer',
      body: json({ inputs: ordered.map((c) => ({ name: c, datatype: c === 'color' ? 'BYTES' : c === 'flag' ? 'BOOL' : 'FP64', shape: [rows.length, 1], data: rows.map((r) => r[c]) })) }),
      extraNamed: true,
    });
  }
  return out;
}

function cases(): Case[] {
  const list: Case[] = [];
  for (const rc of ROW_CASES) {
    for (const at of [0, 2]) {
      const rows: Row[] = good.map((r, i) => (i === at ? rc.row({ ...r }) : { ...r }));
      for (const s of shapes(rows)) {
        // Column-wise shapes cannot say which row lacks a column: a missing column is row 0.
        const row = rc.code === 'MISSING_FIELD' || (rc.code === 'EXTRA_FIELD' && !s.path.startsWith('/predict') && s.name !== 'dataframe_records' && s.name !== 'instances') ? undefined : at;
        list.push({ name: `${rc.name} at row ${at} via ${s.name}`, path: s.path, body: s.body, status: 422, code: rc.code, field: rc.field, row });
      }
      if (at === 2 && rc.code !== 'MISSING_FIELD' && rc.code !== 'EXTRA_FIELD') {
        list.push({ name: `${rc.name} via /predict record`, path: '/predict', body: json(rc.row({ ...good[0] })), status: 422, code: rc.code, field: rc.field, row: 0 });
      }
    }
  }
  // CSV: cells are text, read by the column's type
  const csv = (lines: string[]) => `${lines.join('\n')}\n`;
  list.push(
    { name: 'CSV text in a number column', path: '/invocations', contentType: 'text/csv', body: csv(['x,flag,color', '1,true,red', 'abc,false,red']), status: 422, code: 'WRONG_TYPE', field: 'x', row: 1 },
    { name: 'CSV NaN', path: '/invocations', contentType: 'text/csv', body: csv(['x,flag,color', 'NaN,true,red']), status: 422, code: 'NON_FINITE', field: 'x', row: 0 },
    { name: 'CSV inf', path: '/invocations', contentType: 'text/csv', body: csv(['x,flag,color', '-inf,true,red']), status: 422, code: 'NON_FINITE', field: 'x', row: 0 },
    { name: 'CSV unknown category', path: '/invocations', contentType: 'text/csv', body: csv(['x,flag,color', '1,true,mauve']), status: 422, code: 'UNKNOWN_CATEGORY', field: 'color', row: 0 },
    { name: 'CSV missing column', path: '/invocations', contentType: 'text/csv', body: csv(['x,flag', '1,true']), status: 422, code: 'MISSING_FIELD', field: 'color' },
    { name: 'CSV extra column', path: '/invocations', contentType: 'text/csv', body: csv(['x,flag,color,zz', '1,true,red,3']), status: 422, code: 'EXTRA_FIELD', field: 'zz' },
    { name: 'CSV ragged line', path: '/invocations', contentType: 'text/csv', body: csv(['x,flag,color', '1,true']), status: 400, code: 'INVALID_CSV' },
    { name: 'CSV unclosed quote', path: '/invocations', contentType: 'text/csv', body: csv(['x,flag,color', '1,true,"red']), status: 400, code: 'INVALID_CSV' },
    { name: 'CSV empty', path: '/invocations', contentType: 'text/csv', body: '', status: 400, code: 'INVALID_CSV' },
    { name: 'CSV header only', path: '/invocations', contentType: 'text/csv', body: csv(['x,flag,color']), status: 400, code: 'EMPTY_BATCH' },
    { name: 'CSV bad boolean', path: '/invocations', contentType: 'text/csv', body: csv(['x,flag,color', '1,perhaps,red']), status: 422, code: 'WRONG_TYPE', field: 'flag', row: 0 },
  );
  // empty batches and row limits in every shape
  const many = tinyRows(51);
  for (const [name, path, body] of [
    ['/predict []', '/predict', '[]'],
    ['dataframe_records []', '/invocations', '{"dataframe_records":[]}'],
    ['dataframe_split no rows', '/invocations', '{"dataframe_split":{"columns":["x","flag","color"],"data":[]}}'],
    ['instances []', '/invocations', '{"instances":[]}'],
    ['inputs empty columns', '/invocations', '{"inputs":{"x":[],"flag":[],"color":[]}}'],
    ['v2 zero rows', '/v2/models/tiny/infer', '{"inputs":[{"name":"x","datatype":"FP64","shape":[0],"data":[]},{"name":"flag","datatype":"BOOL","shape":[0],"data":[]},{"name":"color","datatype":"BYTES","shape":[0],"data":[]}]}'],
  ]) {
    list.push({ name: `empty batch: ${name}`, path, body, status: 400, code: 'EMPTY_BATCH' });
  }
  for (const s of shapes(many)) list.push({ name: `51 rows over the 50-row limit via ${s.name}`, path: s.path, body: s.body, status: 413, code: 'TOO_MANY_ROWS' });
  // not JSON, or not the expected shape
  const invalid = ['{', '{"x": 1,}', "{'x': 1}", 'undefined', '[1, 2', '{"dataframe_records": [}', 'nul', '"', '{"x": 01}', '\u0000', '{"x": 1} trailing', '{"a":"\\x"}'];
  for (const path of ['/predict', '/invocations', '/v2/models/tiny/infer']) {
    for (const body of invalid) list.push({ name: `invalid JSON ${JSON.stringify(body)} on ${path}`, path, body, status: 400, code: 'INVALID_JSON' });
    list.push({ name: `invalid UTF-8 on ${path}`, path, body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), status: 400, code: 'INVALID_ENCODING' });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=latin1']) {
      list.push({ name: `content type ${type} on ${path}`, path, body: json(good), contentType: type, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    }
  }
  list.push({ name: 'CSV on /predict', path: '/predict', body: 'x,flag,color\n1,true,red\n', contentType: 'text/csv', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
  for (const body of ['42', '"text"', 'null', 'true', '[1, 2]', '[[1, true, "red"]]']) list.push({ name: `/predict body ${body}`, path: '/predict', body, status: 400 });
  for (const body of ['{}', '[]', '{"dataframe_records": [], "instances": []}', '{"dataframe_split": [1]}', '{"dataframe_split": {"columns": "x", "data": []}}', '{"dataframe_split": {"columns": ["x","flag","color"], "data": [[1, true]]}}', '{"dataframe_records": {"x": 1}}', '{"inputs": {"x": 5}}', '{"inputs": {"x": [1], "flag": [true, false], "color": ["red"]}}', '{"instances": [7]}', '{"data": [[1, true, "red"]]}']) {
    list.push({ name: `/invocations body ${body}`, path: '/invocations', body, status: 400 });
  }
  const v2 = (inputs: unknown, extra: Row = {}) => JSON.stringify({ inputs, ...extra });
  const col = (name: string, datatype: string, shape: unknown, data: unknown) => ({ name, datatype, shape, data });
  const okCols = [col('x', 'FP64', [1], [1]), col('flag', 'BOOL', [1], [true]), col('color', 'BYTES', [1], ['red'])];
  for (const [name, body, status] of [
    ['no inputs', '{}', 400],
    ['inputs not a list', v2({ x: 1 }), 400],
    ['empty inputs', v2([]), 400],
    ['input without name', v2([{ datatype: 'FP64', shape: [1], data: [1] }]), 400],
    ['input not an object', v2([5]), 400],
    ['unknown datatype', v2([col('x', 'FLOAT', [1], [1]), okCols[1], okCols[2]]), 400],
    ['shape not a list', v2([col('x', 'FP64', 1, [1]), okCols[1], okCols[2]]), 400],
    ['negative shape', v2([col('x', 'FP64', [-1], [1]), okCols[1], okCols[2]]), 400],
    ['shape and data disagree', v2([col('x', 'FP64', [2], [1]), okCols[1], okCols[2]]), 400],
    ['data not a list', v2([col('x', 'FP64', [1], 1), okCols[1], okCols[2]]), 400],
    ['columns of different lengths', v2([col('x', 'FP64', [2], [1, 2]), okCols[1], okCols[2]]), 400],
    ['3-D column', v2([col('x', 'FP64', [1, 1, 1], [1]), okCols[1], okCols[2]]), 400],
    ['[N, k] tensor with the wrong k', v2([col('input', 'FP64', [1, 2], [1, 2])]), 400],
    ['tensor with text in a number column', v2([col('input', 'BYTES', [1, 3], ['a', true, 'red'])]), 422],
    ['unknown output asked for', v2(okCols, { outputs: [{ name: 'nope' }] }), 400],
    ['outputs not a list', v2(okCols, { outputs: 'label' }), 400],
    ['missing column', v2([okCols[0], okCols[1]]), 422],
    ['FP64 column holding text', v2([col('x', 'FP64', [1], ['one']), okCols[1], okCols[2]]), 422],
    ['BYTES column holding numbers', v2([okCols[0], okCols[1], col('color', 'BYTES', [1], [1])]), 422],
    ['body is a list', '[]', 400],
  ] as [string, string, number][]) {
    list.push({ name: `v2 ${name}`, path: '/v2/models/tiny/infer', body, status });
  }
  for (const [path, status] of [
    ['/v2/models/nope/infer', 404],
    ['/v2/models/tiny/versions/999/infer', 404],
    ['/v2/models/nope', 404],
    ['/nothing-here', 404],
    ['/predict/', 404],
  ] as [string, number][]) {
    list.push({ name: `${path}`, path, body: json(good), status, method: path.endsWith('/infer') || path.startsWith('/predict') || path === '/nothing-here' ? 'POST' : 'GET' });
  }
  for (const path of ['/predict', '/invocations', '/v2/models/tiny/infer']) list.push({ name: `GET ${path}`, path, body: '', status: 405, method: 'GET' });
  for (const path of ['/metrics', '/v2/health/ready', '/ping']) list.push({ name: `DELETE ${path}`, path, body: '', status: 405, method: 'DELETE' });
  list.push({ name: 'pinning an unknown model', path: '/predict', body: json(good), status: 404, code: 'MODEL_NOT_FOUND', contentType: 'application/json; x=1' });
  return list;
}

function send(c: Case, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((done, fail) => {
    const body = typeof c.body === 'string' ? Buffer.from(c.body) : c.body;
    const { port } = new URL(server.url);
    const method = c.method ?? 'POST';
    const req = request({ host: '127.0.0.1', port, path: c.path, method, headers: { ...(method === 'GET' || method === 'DELETE' ? {} : { 'content-type': c.contentType ?? 'application/json', 'content-length': body.length }), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d)).on('end', () => done({ status: res.statusCode!, text }));
    });
    req.on('error', fail);
    req.end(method === 'GET' || method === 'DELETE' ? undefined : body);
  });
}

function expectClean(text: string) {
  expect(text).not.toMatch(/\n\s+at |\.ts:\d|node:internal|TypeError|ReferenceError|Cannot read propert/);
}

describe('malformed requests', () => {
  const all = cases();

  it('at least 200 distinct malformed requests are each answered 4xx with a JSON error naming the field and the row', async () => {
    expect(all.length).toBeGreaterThanOrEqual(200);
    const failures: string[] = [];
    for (const c of all) {
      const res = await send(c, c.code === 'MODEL_NOT_FOUND' ? { 'x-flowline-model': 'nope' } : {});
      expectClean(res.text);
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(res.text);
      } catch {
        failures.push(`${c.name}: not JSON: ${res.text.slice(0, 80)}`);
        continue;
      }
      const wrong =
        res.status !== c.status ||
        typeof body.error !== 'string' ||
        (c.code && body.code !== c.code) ||
        (c.field && body.field !== c.field) ||
        (c.row !== undefined && body.row !== c.row);
      if (wrong) failures.push(`${c.name}: ${res.status} ${res.text.slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
  }, 60_000);

  it('every problem in a request is listed, not only the first', async () => {
    const rows = [{ ...good[0], x: '1' }, { ...good[1], color: 'teal' }, { ...good[2], flag: 2 }];
    const res = await post(`${server.url}/predict`, rows);
    expect(res.status).toBe(422);
    expect((res.body.issues as { field: string; row: number }[]).map((i) => [i.field, i.row])).toEqual([['x', 0], ['color', 1], ['flag', 2]]);
    expect(res.body.error).toMatch(/Row 0: field "x" must be a JSON number, got the string "1".*2 more problems/);
  });

  it('a 10 MB body is refused with 413, whether its length is declared or it arrives chunked', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024, 0x20);
    const declared = await send({ name: '10 MB', path: '/predict', body: big, status: 413 });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.text).code).toBe('BODY_TOO_LARGE');
    const chunked = await new Promise<number>((done, fail) => {
      const { port } = new URL(server.url);
      const req = request({ host: '127.0.0.1', port, path: '/invocations', method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode!));
      });
      req.on('error', fail);
      for (let i = 0; i < 10; i++) req.write(big.subarray(i << 20, (i + 1) << 20));
      req.end();
    });
    expect(chunked).toBe(413);
  });

  it('a body that arrives too slowly is answered 408 and its connection closed', async () => {
    const { port } = new URL(server.url);
    const status = await new Promise<number>((done, fail) => {
      const req = request({ host: '127.0.0.1', port, path: '/predict', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': 100 } }, (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode!));
      });
      req.on('error', fail);
      req.write('{"x": 1,');
    });
    expect(status).toBe(408);
  });

  it('after all that the server is healthy, scores correctly, and never answered 5xx', async () => {
    expect((await fetch(`${server.url}/v2/health/ready`)).status).toBe(200);
    const res = await post(`${server.url}/predict`, good[1]);
    expect(res.status).toBe(200);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).not.toMatch(/status="5\d\d"/);
    expect(metrics).toMatch(/flowline_http_requests_total\{route="\/predict",status="422"\} \d+/);
    expect(server.proc.exitCode).toBeNull();
  });
});
