/**
 * An in-memory host for developing the studio without the real one (`?fake=1`). Loaded only by
 * that flag, as its own chunk. Runs are simulated with timers; tables are generated rows.
 */
import type { CatalogNode, Diagnostic, FlowlineApi, RecoveredWork, RunEvent, RunSummary, NodeResult, TablePage, ColumnProfile, OpenedPipeline, DatabaseConnection } from '../../../core/host/api.ts';
import type { Pipeline } from '../../../core/schema/pipeline.ts';
import { splitEndpoint } from '../../../core/schema/pipeline.ts';
import { serializePipeline, parsePipeline } from '../../../core/schema/serialize.ts';
import type { ColumnSchema, PortValue, TableRef } from '../../../core/spec/values.ts';

const T = (name: string, label = name) => ({ name, type: 'table' as const, label, required: true, multiple: false });
const node = (n: Partial<CatalogNode> & Pick<CatalogNode, 'type' | 'title' | 'category'>): CatalogNode => ({
  version: 1, description: '', inputs: [], outputs: [], paramsSchema: { type: 'object', properties: {} }, paramsUi: {}, defaults: {}, exportable: false, runsUserCode: false, ...n,
});

const CATALOG: CatalogNode[] = [
  node({ type: 'data.load_csv', title: 'Load CSV', category: 'Sources', description: 'Read a CSV file into a table.', outputs: [T('table')],
    paramsSchema: { type: 'object', properties: { path: { type: 'string', minLength: 1, description: 'CSV file, relative to the pipeline' }, delimiter: { type: 'string', enum: [',', ';', '\t'], default: ',' }, header: { type: 'boolean', default: true } }, required: ['path'] },
    paramsUi: { path: { widget: 'file', filters: [{ name: 'CSV', extensions: ['csv'] }] } }, defaults: { path: '', delimiter: ',', header: true } }),
  node({ type: 'data.filter_rows', title: 'Filter rows', category: 'Clean', description: 'Keep the rows that match a condition.', inputs: [T('table')], outputs: [T('table')],
    paramsSchema: { type: 'object', properties: { column: { type: 'string', minLength: 1, description: 'Column to test' }, op: { type: 'string', enum: ['==', '!=', '>', '<', '>=', '<='], default: '==' }, value: { type: 'string', default: '' } }, required: ['column'] },
    paramsUi: { column: { widget: 'column', port: 'table' } }, defaults: { column: '', op: '==', value: '' } }),
  node({ type: 'data.sql', title: 'SQL', category: 'Clean', description: 'Query the input tables with SQL.', runsUserCode: true, inputs: [{ ...T('tables'), multiple: true }], outputs: [T('table')],
    paramsSchema: { type: 'object', properties: { query: { type: 'string', default: 'SELECT * FROM input1' } } }, paramsUi: { query: { widget: 'code', language: 'sql' } }, defaults: { query: 'SELECT * FROM input1' } }),
  node({ type: 'data.split', title: 'Train/test split', category: 'Split', description: 'Split rows into a training and a test table.', inputs: [T('table')], outputs: [T('train'), T('test')],
    paramsSchema: { type: 'object', properties: { test_size: { type: 'number', minimum: 0.05, maximum: 0.95, default: 0.25, description: 'Share of rows held out' }, stratify: { type: 'string', default: '', description: 'Keep class shares equal in both parts' } } },
    paramsUi: { stratify: { widget: 'column', port: 'table', types: ['string', 'integer', 'boolean'] } }, defaults: { test_size: 0.25, stratify: '' } }),
  node({ type: 'prep.scale', title: 'Scale', category: 'Features', description: 'Standardise numeric columns.', exportable: true, inputs: [T('table')], outputs: [T('table')],
    paramsSchema: { type: 'object', properties: { columns: { type: 'array', items: { type: 'string' }, default: [] }, method: { type: 'string', enum: ['standard', 'minmax', 'robust'], default: 'standard' } } },
    paramsUi: { columns: { widget: 'columns', port: 'table', types: ['number', 'integer'] } }, defaults: { columns: [], method: 'standard' } }),
  node({ type: 'prep.encode', title: 'Encode categories', category: 'Features', description: 'One-hot or ordinal encode text columns.', exportable: true, inputs: [T('table')], outputs: [T('table')],
    paramsSchema: { type: 'object', properties: { columns: { type: 'array', items: { type: 'string' }, default: [] }, method: { type: 'string', enum: ['onehot', 'ordinal'], default: 'onehot' } } },
    paramsUi: { columns: { widget: 'columns', port: 'table', types: ['string'] } }, defaults: { columns: [], method: 'onehot' } }),
  node({ type: 'ml.train', title: 'Train model', category: 'Train', description: 'Fit a learner on the training table.', exportable: true, inputs: [T('table', 'train')], outputs: [{ name: 'model', type: 'model', label: 'model', required: true, multiple: false }],
    paramsSchema: { type: 'object', properties: { target: { type: 'string', minLength: 1, description: 'Column to predict' }, learner: { type: 'string', enum: ['decision_tree', 'random_forest', 'logistic_regression'], default: 'decision_tree' }, max_depth: { type: 'integer', minimum: 1, maximum: 64, default: 6 }, options: { type: 'object', additionalProperties: {}, default: {} } }, required: ['target'] },
    paramsUi: { target: { widget: 'column', port: 'table' }, options: { widget: 'json', advanced: true } }, defaults: { target: '', learner: 'decision_tree', max_depth: 6, options: {} } }),
  node({ type: 'ml.evaluate', title: 'Evaluate', category: 'Evaluate', description: 'Score a model on a test table.',
    inputs: [{ name: 'model', type: 'model', label: 'model', required: true, multiple: false }, T('table', 'test')], outputs: [{ name: 'metrics', type: 'metrics', label: 'metrics', required: true, multiple: false }],
    paramsSchema: { type: 'object', properties: {} }, defaults: {} }),
];

const IRIS: ColumnSchema[] = [
  { name: 'sepal_length', type: 'number', dbType: 'DOUBLE' }, { name: 'sepal_width', type: 'number', dbType: 'DOUBLE' },
  { name: 'petal_length', type: 'number', dbType: 'DOUBLE' }, { name: 'petal_width', type: 'number', dbType: 'DOUBLE' },
  { name: 'species', type: 'string', dbType: 'VARCHAR' },
];
const SPECIES = ['setosa', 'versicolor', 'virginica'];
const cell = (row: number, col: number): unknown => (col === 4 ? SPECIES[row % 3] : Math.round((4 + ((row * 7919 + col * 104729) % 400) / 100) * 10) / 10);

function template(name: string, csv: string): Pipeline {
  return {
    format: 'flowline.pipeline', version: 1, name, seed: 42,
    nodes: [
      { id: 'load', type: 'data.load_csv', version: 1, params: { path: csv, delimiter: ',', header: true } },
      { id: 'split', type: 'data.split', version: 1, params: { test_size: 0.25, stratify: 'species' } },
      { id: 'train', type: 'ml.train', version: 1, params: { target: 'species', learner: 'decision_tree', max_depth: 4, options: {} } },
      { id: 'evaluate', type: 'ml.evaluate', version: 1, params: {} },
    ],
    edges: [{ from: 'load.table', to: 'split.table' }, { from: 'split.train', to: 'train.table' }, { from: 'train.model', to: 'evaluate.model' }, { from: 'split.test', to: 'evaluate.table' }],
    layout: { positions: { load: { x: 0, y: 0 }, split: { x: 280, y: 0 }, train: { x: 560, y: -80 }, evaluate: { x: 840, y: 0 } }, notes: [], groups: [] },
  };
}

export function createFakeApi(): FlowlineApi {
  const files = new Map<string, string>([
    ['/work/templates/iris.flow.json', serializePipeline(template('Iris classification', 'iris.csv'))],
    ['/work/data/iris.csv', 'sepal_length,...'],
    ['/work/data/bad.csv', '"oops'],
    ['/work/data/big.csv', '...'],
  ]);
  const trusted = new Set<string>();
  const autosaves = new Map<string, RecoveredWork>();
  const recent: { path: string; name: string; openedAt: string }[] = [];
  const listeners = new Set<(e: RunEvent) => void>();
  const results = new Map<string, NodeResult>();
  let lastSummary: RunSummary | null = null;
  let runSeq = 0;
  const emit = (e: RunEvent) => listeners.forEach((l) => l(e));
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const cancelled = new Set<string>();
  const findSpec = (type: string) => CATALOG.find((c) => c.type === type);

  const tableOf = (nodeId: string, rows: number, columns = IRIS): TableRef => ({ kind: 'table', path: `/tmp/${nodeId}.parquet`, columns, rowCount: rows, recipe: { base: null, steps: [] } });

  const touchRecent = (path: string, name: string) => {
    const i = recent.findIndex((r) => r.path === path);
    if (i >= 0) recent.splice(i, 1);
    recent.unshift({ path, name, openedAt: new Date().toISOString() });
  };

  const connections = new Map<string, DatabaseConnection>();

  const api: FlowlineApi = {
    async hello() { return { apiVersion: 1, host: 'web', version: 'fake', cwd: '/work' }; },
    async catalog() { return structuredClone(CATALOG); },
    async openPipeline(path): Promise<OpenedPipeline> {
      const text = files.get(path);
      if (text === undefined) throw { code: 'FILE_NOT_FOUND', message: `No file at ${path}.`, hint: 'Check the path.' };
      const pipeline = parsePipeline(text, path);
      touchRecent(path, pipeline.name);
      const needsTrust = pipeline.nodes.some((n) => findSpec(n.type)?.runsUserCode) && !trusted.has(path);
      return { path, pipeline, text, needsTrust };
    },
    async savePipeline(path, pipeline) {
      const text = serializePipeline(pipeline);
      files.set(path, text);
      touchRecent(path, pipeline.name);
      return { path, text };
    },
    async validatePipeline(pipeline) {
      const schemas: Record<string, Record<string, ColumnSchema[]>> = {};
      for (const n of pipeline.nodes) if (n.type.startsWith('data.') || n.type.startsWith('prep.')) schemas[n.id] = { table: IRIS, train: IRIS, test: IRIS };
      const diagnostics = pipeline.nodes.flatMap((n): Diagnostic[] => {
        const spec = findSpec(n.type);
        if (!spec) return [{ severity: 'error' as const, code: 'UNKNOWN_NODE_TYPE' as const, message: `Unknown node type ${n.type}.`, nodeId: n.id }];
        return spec.inputs.filter((p) => p.required && !pipeline.edges.some((e) => e.to === `${n.id}.${p.name}`))
          .map((p) => ({ severity: 'error' as const, code: 'MISSING_INPUT' as const, message: `Input "${p.label}" is not connected.`, nodeId: n.id, hint: 'Drag an edge into it.' }));
      });
      return { diagnostics, schemas };
    },
    async trustPipeline(path) { trusted.add(path); },
    async trustRun(request) { if (request.path) trusted.add(request.path); },
    async trustFolder() {},
    async run(request) {
      const runId = `run-${++runSeq}`;
      const p = request.pipeline;
      const order = topo(p, request.to);
      void (async () => {
        const started = Date.now();
        emit({ type: 'run:start', runId, nodes: order });
        const out: NodeResult[] = [];
        let failed = false;
        for (const id of order) {
          const n = p.nodes.find((x) => x.id === id)!;
          if (failed || cancelled.has(runId)) { out.push({ id, type: n.type, status: failed ? 'skipped' : 'cancelled', durationMs: 0 }); continue; }
          emit({ type: 'node:start', runId, nodeId: id, reason: 'params changed' });
          const t0 = Date.now();
          for (let f = 0.25; f <= 1; f += 0.25) { await sleep(40); emit({ type: 'node:progress', runId, nodeId: id, fraction: f }); }
          emit({ type: 'node:log', runId, nodeId: id, message: `${n.type} finished` });
          const path = String(n.params.path ?? '');
          if (n.type === 'data.load_csv' && (path.includes('bad') || !path)) {
            const error = { code: 'CSV_PARSE' as const, message: path ? `Cannot read ${path}: unterminated quote on line 1.` : 'No file chosen.', hint: 'Fix the file or choose another one.', nodeId: id, file: path, line: 1 };
            emit({ type: 'node:error', runId, nodeId: id, error });
            out.push({ id, type: n.type, status: 'error', durationMs: Date.now() - t0, error });
            failed = true;
            continue;
          }
          const outputs: Record<string, PortValue> = {};
          const rows = path.includes('big') ? 2_000_000 : 150;
          for (const port of findSpec(n.type)?.outputs ?? []) {
            if (port.type === 'table') outputs[port.name] = tableOf(`${id}.${port.name}`, port.name === 'test' ? 38 : rows);
            if (port.type === 'metrics') outputs[port.name] = {
              kind: 'metrics', task: 'multiclass', scope: 'test', values: { accuracy: 0.9474, f1_macro: 0.9451 }, std: {},
              charts: [
                { kind: 'heatmap', id: 'confusion', title: 'Confusion matrix', rows: SPECIES, cols: SPECIES, values: [[12, 0, 0], [0, 12, 1], [0, 1, 12]], rowLabel: 'actual', colLabel: 'predicted' },
                { kind: 'line', id: 'roc', title: 'ROC curve', x: { label: 'false positive rate', min: 0, max: 1 }, y: { label: 'true positive rate', min: 0, max: 1 }, series: [{ name: 'virginica', points: [[0, 0], [0.05, 0.8], [0.2, 0.95], [1, 1]] }, { name: 'chance', points: [[0, 0], [1, 1]], dashed: true }] },
                { kind: 'bar', id: 'importance', title: 'Feature importance', categories: IRIS.slice(0, 4).map((c) => c.name), series: [{ name: 'gain', values: [0.05, 0.02, 0.55, 0.38] }], horizontal: true },
              ],
              tables: [{ id: 'per_class', title: 'Per class', columns: ['class', 'precision', 'recall'], rows: [['setosa', 1, 1], ['versicolor', 0.92, 0.92], ['virginica', 0.92, 0.92]] }],
            };
            if (port.type === 'model') outputs[port.name] = { kind: 'model', task: 'multiclass', target: 'species', classes: SPECIES, inputColumns: IRIS.slice(0, 4), recipe: [], features: [], estimator: { kind: 'tree', params: {}, state: null }, trainedOn: { nodeId: id, rows: 112 } };
          }
          const durationMs = Date.now() - t0;
          emit({ type: 'node:done', runId, nodeId: id, durationMs });
          const r: NodeResult = { id, type: n.type, status: 'done', durationMs, outputs };
          results.set(id, r);
          out.push(r);
        }
        const summary: RunSummary = { runId, status: cancelled.has(runId) ? 'cancelled' : failed ? 'error' : 'done', durationMs: Date.now() - started, nodes: out, startedAt: new Date(started).toISOString() };
        lastSummary = summary;
        emit({ type: 'run:end', runId, summary });
      })();
      return { runId };
    },
    async cancel(runId) { cancelled.add(runId); },
    async lastRun() { return lastSummary; },
    async preview(req): Promise<TablePage> {
      const value = results.get(req.nodeId)?.outputs?.[req.port ?? 'table'] as TableRef | undefined;
      if (!value) throw { code: 'NO_ROWS', message: `Node ${req.nodeId} has no output yet.`, hint: 'Run the pipeline first.' };
      await sleep(10);
      const end = Math.min(value.rowCount, req.offset + req.limit);
      const rows: unknown[][] = [];
      for (let r = req.offset; r < end; r++) rows.push(value.columns.map((_, c) => cell(r, c)));
      const profile: ColumnProfile[] | undefined = req.withProfile ? value.columns.map((c, i) => c.type === 'string'
        ? { name: c.name, type: c.type, dbType: c.dbType, count: value.rowCount, missing: 0, missingPct: 0, distinct: 3, top: SPECIES.map((s) => ({ value: s, count: Math.round(value.rowCount / 3) })) }
        : { name: c.name, type: c.type, dbType: c.dbType, count: value.rowCount, missing: i, missingPct: i / value.rowCount * 100, distinct: 40, min: 4, max: 8, mean: 6 + i / 10, std: 0.8,
            histogram: Array.from({ length: 12 }, (_, k) => ({ x0: 4 + k / 3, x1: 4 + (k + 1) / 3, count: 5 + ((k * (i + 3) * 7) % 17) })) }) : undefined;
      return { columns: value.columns, rows, offset: req.offset, totalRows: value.rowCount, profile };
    },
    async listTemplates() { return [{ id: 'iris', name: 'Iris classification', description: 'Load, split, train a tree, evaluate.', path: '/work/templates/iris.flow.json', tags: ['classification'], task: 'multiclass classification', difficulty: 'beginner', stages: ['load', 'split', 'train', 'evaluate'], threshold: { metric: 'evaluate.accuracy', min: 0.9 }, dataFiles: ['data/iris.csv'], preview: { nodes: [{ id: 'load', group: 'data', x: 0, y: 0 }, { id: 'split', group: 'data', x: 280, y: 0 }, { id: 'train', group: 'ml', x: 560, y: 0 }, { id: 'evaluate', group: 'ml', x: 840, y: 0 }], edges: [['load', 'split'], ['split', 'train'], ['train', 'evaluate']], notes: 0 } }]; },
    async copyTemplate(id: string, dir: string) { return { path: `${dir}/${id}.flow.json`, files: [`${id}.flow.json`] }; },
    async recentFiles() { return recent.slice(0, 10); },
    async autosave(key, pipeline, where) { if (pipeline) autosaves.set(key, { pipeline, savedAt: new Date().toISOString(), ...where }); else autosaves.delete(key); },
    async recoverAutosave(key) { return autosaves.get(key)?.pipeline ?? null; },
    async recoverWork(key) { return autosaves.get(key) ?? null; },
    async chooseOpenPath() { throw new Error('The in-memory host has no native file dialogs.'); },
    async chooseSavePath() { throw new Error('The in-memory host has no native file dialogs.'); },
    async listConnections() { return [...connections.values()].map(({ password: _, ...c }) => ({ ...c, storedIn: 'session' as const })); },
    async saveConnection(c) { connections.set(c.name, c); const { password: _, ...info } = c; return { ...info, storedIn: 'session' as const }; },
    async forgetConnection(name) { connections.delete(name); },
    async listDirectory(dir) {
      const base = (dir || '/work').replace(/\/+$/, '') || '/';
      const names = new Map<string, boolean>();
      for (const f of files.keys()) {
        if (!f.startsWith(base + '/')) continue;
        const rest = f.slice(base.length + 1).split('/');
        names.set(rest[0], rest.length > 1);
      }
      return { path: base, entries: [...names].map(([name, isDir]) => ({ name, dir: isDir })).sort((a, b) => Number(b.dir) - Number(a.dir) || a.name.localeCompare(b.name)) };
    },
    async exportDocker(request) {
      if (!files.has(request.path)) throw { code: 'FILE_NOT_FOUND', message: `Save the pipeline first: no file at ${request.path}.`, hint: 'Save, then export.' };
      const dir = request.out.startsWith('/') ? request.out : `${request.path.replace(/\/[^/]*$/, '')}/${request.out}`;
      const models: { name: string; version: string; role: 'champion' | 'challenger'; task: string; heldOut: string }[] = [{ name: request.node, version: 'fake00000000', role: 'champion', task: 'multiclass', heldOut: 'the test rows of node "split"' }];
      if (request.challenger) models.push({ name: request.challenger, version: 'fake00000001', role: 'challenger', task: 'multiclass', heldOut: 'the test rows of node "split"' });
      return { dir, zip: `${dir}.zip`, models, routing: request.challenger ? (request.routing ?? 'ab') : 'single', files: ['Dockerfile', 'README.md', 'flowline-model.json', 'model.onnx', 'server.js'] };
    },
    async listRuns() {
      return [];
    },
    async compareRuns() {
      throw { code: 'UNKNOWN_RUN', message: 'The development fake records no runs.' };
    },
    async exportOnnx(req) {
      // a plausible passing report, so the dialog can be developed without the real host
      await new Promise((r) => setTimeout(r, 300));
      return {
        ok: true, file: `/work/${req.nodeId}.onnx`, sizeBytes: 48_213, target: req.exact ? 'exact' : 'default', opset: req.exact ? 21 : 17, mlOpset: req.exact ? 5 : 3, task: 'multiclass',
        inputs: IRIS.slice(0, 4).map((c) => ({ name: c.name, type: 'double' })), outputs: [{ name: 'label', type: 'string', shape: ['N'] }, { name: 'probabilities', type: 'double', shape: ['N', 3] }],
        verification: { passed: true, rows: 79, heldOutRows: 38, rowSource: "held-out rows scored by 'evaluate' (from 'split')", missingRows: 41, unseenRows: 0, labelsAgree: 79, maxAbsDiff: 0, maxRelDiff: 0, tolerance: 1e-6, bitIdentical: true, inexactOps: [], worst: null, onnxMs: 4, onnxLoadMs: 40, appMs: 2 },
        durationMs: 300,
      };
    },
    async listModels() { return { dir: '/work/.flowline/models', versions: [], audit: [] }; },
    async promoteModel() { throw { code: 'BAD_ARGUMENTS', message: 'The development fake registers no models.' }; },
    async rollbackModel() { throw { code: 'BAD_ARGUMENTS', message: 'The development fake registers no models.' }; },
    async modelCard() { throw { code: 'FILE_NOT_FOUND', message: 'The development fake registers no models.' }; },
    async writeReport() { throw { code: 'BAD_ARGUMENTS', message: 'The development fake writes no reports.' }; },
    onEvent(listener) { listeners.add(listener); return () => listeners.delete(listener); },
  };
  return api;
}

function topo(p: Pipeline, to?: string): string[] {
  const deps = new Map<string, string[]>(p.nodes.map((n) => [n.id, []]));
  for (const e of p.edges) deps.get(splitEndpoint(e.to).node)?.push(splitEndpoint(e.from).node);
  const want = new Set<string>();
  const visit = (id: string) => { if (want.has(id)) return; want.add(id); for (const d of deps.get(id) ?? []) visit(d); };
  if (to) visit(to); else p.nodes.forEach((n) => visit(n.id));
  const order: string[] = [];
  const done = new Set<string>();
  const place = (id: string) => { if (done.has(id)) return; done.add(id); for (const d of deps.get(id) ?? []) place(d); order.push(id); };
  for (const n of p.nodes) if (want.has(n.id)) place(n.id);
  return order;
}
