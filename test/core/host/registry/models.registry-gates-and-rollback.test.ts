/**
 * The model registry (docs/lifecycle.md, "Model registry" and "Gates"), through the CLI on real
 * files in a temp folder: every export registers a version with its lineage; promote checks the
 * pipeline's gates and refuses — exit 4 — naming the gate, the measured value and the bound;
 * rollback restores the previous production version; the audit log holds every stage change with
 * who and why; a crash mid-write leaves the registry readable.
 */
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../../core/host/cli.ts';
import { WORKER_TASKS } from '../../../../core/host/worker-tasks.ts';
import type { AuditEntry, ListedVersion } from '../../../../core/spec/model-registry.ts';
import { NODES } from '../../../../nodes/index.ts';
import { captureIo } from '../../../support/capture-io.ts';

const cli = async (...argv: string[]) => {
  const { io, out } = captureIo();
  const code = await main(argv, { nodes: NODES, tasks: WORKER_TASKS }, io);
  return { code, ...out, json: () => JSON.parse(out.stdout) };
};

/** Row i: two numbers, a category column (named `cat`), a yes/no label; `shift` moves x1 by 4. */
function row(i: number, shift = false): string {
  const x1 = ((i * 37) % 101) / 10 - 5 + (shift ? 4 : 0);
  const x2 = ((i * 53) % 97) / 20 - 2;
  const city = ['Lyon', 'Oslo', 'Porto'][i % 3];
  const label = x1 - (shift ? 4 : 0) + x2 + (city === 'Oslo' ? 1 : 0) + (((i * 7) % 11) - 5) / 5 > 0 ? 'yes' : 'no';
  return `${x1},${x2},${city},${label}`;
}
const table = (cat: string, from: number, shift = false) => `x1,x2,${cat},label\n${Array.from({ length: 400 }, (_, i) => row(from + i, shift)).join('\n')}\n`;

const node = (id: string, type: string, params: Record<string, unknown> = {}) => ({ id, type, version: 1, params });
function pipeline(data: string, cat: string, gates: unknown[]) {
  return JSON.stringify({
    format: 'flowline.pipeline',
    version: 2,
    name: `registry-${cat}`,
    seed: 3,
    nodes: [node('load', 'data.load_csv', { path: data }), node('encode', 'prep.encode', { columns: [cat], method: 'onehot' }), node('split', 'data.split', { test_fraction: 0.25 }), node('train', 'ml.train', { target: 'label', learner: 'logistic_regression' }), node('evaluate', 'ml.evaluate')],
    edges: [
      { from: 'load.table', to: 'encode.table' },
      { from: 'encode.table', to: 'split.table' },
      { from: 'split.train', to: 'train.table' },
      { from: 'train.model', to: 'evaluate.model' },
      { from: 'split.test', to: 'evaluate.table' },
    ],
    gates,
  });
}

const GATES = [{ kind: 'metric', metric: 'evaluate.roc_auc', op: '>=', value: 0.6 }, { kind: 'drift' }];

let dir: string;
let churn: string;
const exportModel = async (file: string, out: string, ...extra: string[]) => cli('export', 'onnx', file, '--node', 'train', '--out', join(dir, out), ...extra);
const models = async (...args: string[]) => cli('models', ...args, '--in', dir);
const list = async (): Promise<ListedVersion[]> => (await models('list', '--json')).json();
const stages = async () => Object.fromEntries((await list()).map((v) => [v.id, v.stage]));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowline-registry-'));
  churn = join(dir, 'churn.flow.json');
  writeFileSync(join(dir, 'data.csv'), table('city', 0));
  writeFileSync(churn, pipeline('data.csv', 'city', GATES));
  const first = await exportModel(churn, 'm1.onnx');
  expect(first.code, first.stderr).toBe(0);
  // New rows from the same distribution: a second export, from different data.
  writeFileSync(join(dir, 'data.csv'), table('city', 400));
  const second = await exportModel(churn, 'm2.onnx');
  expect(second.code, second.stderr).toBe(0);
}, 240_000);

describe('the model registry', () => {
  it('exporting twice registers two candidate versions, each with its run, data fingerprint, pipeline hash and metrics', async () => {
    const versions = await list();
    expect(versions.map((v) => [v.id, v.stage, v.kind])).toEqual([
      ['v1', 'candidate', 'onnx'],
      ['v2', 'candidate', 'onnx'],
    ]);
    const runs = (await cli('runs', '--in', dir, '--json')).json() as { id: string }[];
    const [v1, v2] = versions;
    expect([v1.lineage.runId, v2.lineage.runId]).toEqual([runs[0].id, runs[1].id]);
    const run1 = (await cli('runs', 'show', runs[0].id, '--in', dir, '--json')).json() as { data: { path: string; hash: string }[] };
    expect(v1.lineage.data.map((d) => d.path)).toEqual(['data.csv']);
    expect(v1.lineage.data[0].hash).toBe(run1.data[0].hash);
    expect(v2.lineage.data[0].hash).not.toBe(v1.lineage.data[0].hash);
    expect(v1.lineage.pipeline.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(v2.lineage.pipeline.hash).toBe(v1.lineage.pipeline.hash);
    expect(v1.lineage.metrics.evaluate.roc_auc).toBeGreaterThan(0.6);
    expect(v1.model).toMatchObject({ learner: 'logistic_regression', task: 'binary', trainNode: 'train', inputs: ['x1', 'x2', 'city'] });
    // The registry keeps its own copy of the model, byte for byte the export.
    expect(readFileSync(join(dir, '.flowline', 'models', 'v1', v1.file))).toEqual(readFileSync(join(dir, 'm1.onnx')));
    expect(v1.exportedTo).toBe(join(dir, 'm1.onnx'));
  });

  it('promote with passing gates puts a version in production and records who, when and why', async () => {
    const r = await models('promote', 'v1', '--reason', 'first model', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ status: 'promoted', version: 'v1', archived: null });
    expect(r.json().gates.map((g: { gate: string; passed: boolean }) => [g.gate, g.passed])).toEqual([
      ['evaluate.roc_auc >= 0.6', true],
      ['drift', true],
    ]);
    expect(await stages()).toEqual({ v1: 'production', v2: 'candidate' });
  });

  it('promote refuses a model failing a metric gate, naming the gate, the measured value and the bound (exit 4)', async () => {
    writeFileSync(churn, pipeline('data.csv', 'city', [{ kind: 'metric', metric: 'evaluate.roc_auc', op: '>=', value: 0.9999 }]));
    try {
      const r = await models('promote', 'v2', '--reason', 'try');
      expect(r.code).toBe(4);
      const auc = (await list())[1].lineage.metrics.evaluate.roc_auc;
      expect(r.stderr).toContain(`gate "evaluate.roc_auc >= 0.9999" failed: measured ${auc}, bound >= 0.9999`);
      expect(await stages()).toEqual({ v1: 'production', v2: 'candidate' });
    } finally {
      writeFileSync(churn, pipeline('data.csv', 'city', GATES));
    }
  });

  it('promote refuses a model reading a protected attribute, naming the column', async () => {
    writeFileSync(join(dir, 'people.csv'), table('gender', 0));
    const people = join(dir, 'people.flow.json');
    writeFileSync(people, pipeline('people.csv', 'gender', [{ kind: 'no_protected_attributes' }]));
    expect((await exportModel(people, 'people.onnx')).code).toBe(0);
    const r = await models('promote', 'v3', '--reason', 'try', '--json');
    expect(r.code).toBe(4);
    expect(r.json().failed).toEqual([expect.objectContaining({ gate: 'no protected attributes', measured: expect.stringContaining('gender (sex)'), bound: 'none' })]);
    expect((await stages()).v3).toBe('candidate');
  }, 120_000);

  it('promote refuses a model whose training data drifted from the production model\'s reference, naming the statistic, the column and the bound', async () => {
    writeFileSync(join(dir, 'data.csv'), table('city', 0, true));
    try {
      expect((await exportModel(churn, 'shifted.onnx')).code).toBe(0);
      const r = await models('promote', 'v4', '--reason', 'try');
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(/gate "drift" failed: measured PSI [\d.]+ on x1, bound PSI < 0\.2, KS < 0\.2/);
      expect(r.stderr).toContain("v1's training reference");
      // Exported as production, the same model is refused before anything is written.
      const again = await exportModel(churn, 'shifted-prod.onnx', '--stage', 'production', '--reason', 'ship it');
      expect(again.code).toBe(4);
      expect(again.stderr).toContain('gate "drift" failed');
      expect(existsSync(join(dir, 'shifted-prod.onnx'))).toBe(false);
    } finally {
      writeFileSync(join(dir, 'data.csv'), table('city', 400));
    }
  }, 120_000);

  it('promote passes when the gates pass, archiving the production version; rollback restores it', async () => {
    const r = await models('promote', 'v2', '--reason', 'newer data');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('v2 is in production; v1 archived');
    expect(await stages()).toMatchObject({ v1: 'archived', v2: 'production' });
    const back = await models('rollback', '--reason', 'complaints', '--json');
    expect(back.code, back.stderr).toBe(0);
    expect(back.json()).toMatchObject({ restored: 'v1', archived: 'v2' });
    expect(await stages()).toMatchObject({ v1: 'production', v2: 'archived' });
    // Nothing before v1: a second rollback has nowhere to go, and says so.
    const none = await models('rollback', '--reason', 'again');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('v1 is the first version in production');
    // Promote and rollback both need a reason.
    expect((await models('promote', 'v2')).stderr).toContain('needs --reason');
  });

  it('the audit log lists every registration, stage change and refusal with who, when and why', async () => {
    const audit = (await models('audit', '--json')).json() as AuditEntry[];
    expect(audit.map((e) => `${e.action} ${e.version} ${e.changes.map((c) => `${c.version}:${c.from}>${c.to}`).join(',')}`)).toEqual([
      'register v1 v1:null>candidate',
      'register v2 v2:null>candidate',
      'promote v1 v1:candidate>production',
      'promote-refused v2 ',
      'register v3 v3:null>candidate',
      'promote-refused v3 ',
      'register v4 v4:null>candidate',
      'promote-refused v4 ',
      'promote v2 v1:production>archived,v2:candidate>production',
      'rollback v1 v2:production>archived,v1:archived>production',
    ]);
    expect(new Set(audit.map((e) => e.who))).toEqual(new Set([userInfo().username]));
    expect(audit.filter((e) => e.action !== 'register').map((e) => e.reason)).toEqual(['first model', 'try', 'try', 'try', 'newer data', 'complaints']);
    expect(audit.every((e) => !Number.isNaN(Date.parse(e.at)))).toBe(true);
  });

  it('a crash mid-write leaves the registry readable: a half-registered version is not listed, a torn audit line is skipped and the next change is whole', async () => {
    const registry = join(dir, '.flowline', 'models');
    const before = await stages();
    // A registration killed after copying the model, before version.json; an append killed mid-line.
    mkdirSync(join(registry, 'v5'));
    writeFileSync(join(registry, 'v5', 'model.onnx'), readFileSync(join(dir, 'm1.onnx')));
    writeFileSync(join(registry, 'v5', 'version.json.tmp-123'), '{"format":"flowline-mo');
    appendFileSync(join(registry, 'audit.jsonl'), '{"at":"2026-12-05T00:00:00.000Z","who":"x","action":"promote","version":"v3","changes":[{"version":"v3","from":"candidate","to":"produ');
    expect(await stages()).toEqual(before);
    const shown = await models('show', 'production', '--json');
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.json().id).toBe('v1');
    const r = await models('promote', 'v2', '--reason', 'after the crash');
    expect(r.code, r.stderr).toBe(0);
    expect(await stages()).toMatchObject({ v1: 'archived', v2: 'production', v3: 'candidate' });
    const audit = (await models('audit', '--json')).json() as AuditEntry[];
    expect(audit.at(-1)).toMatchObject({ action: 'promote', version: 'v2', reason: 'after the crash' });
    // The next export takes the next free number; the unfinished v5 stays unlisted.
    expect((await exportModel(churn, 'm6.onnx')).code).toBe(0);
    expect((await list()).map((v) => v.id)).toEqual(['v1', 'v2', 'v3', 'v4', 'v6']);
  }, 120_000);

  it('flowline monitor takes a registry version: the production model against new rows, exit 3 on shifted rows', async () => {
    writeFileSync(join(dir, 'shifted.csv'), table('city', 0, true));
    const r = await cli('monitor', 'production', join(dir, 'shifted.csv'), '--in', dir, '--json');
    expect(r.code, r.stderr).toBe(3);
    expect(r.json().model).toBe(join(dir, '.flowline', 'models', 'v2', 'model.onnx'));
    expect(r.json().drifted).toContain('x1');
    expect((await cli('monitor', 'v9', join(dir, 'shifted.csv'), '--in', dir)).stderr).toContain('no model version "v9"');
  });
});
