/**
 * The studio's Models view and Report button over the host API (docs/lifecycle.md, docs/reports.md): the registry that
 * `flowline export` filled, listed with stages, lineage and cards; promote and rollback through the
 * CLI's own code (a gate's refusal in the CLI's exit-4 words, an audit line for each); and the
 * report of the last run, the same file `flowline run --report` writes for that run.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../core/host/cli.ts';
import { writeRunReport } from '../../../core/host/cli-report.ts';
import { createService } from '../../../core/host/service.ts';
import { WORKER_TASKS } from '../../../core/host/worker-tasks.ts';
import { Pipeline } from '../../../core/schema/pipeline.ts';
import type { AuditEntry } from '../../../core/spec/model-registry.ts';
import { NODES } from '../../../nodes/index.ts';
import { captureIo } from '../../support/capture-io.ts';
import { gatedCsv, gatedPipeline } from '../../support/gated-pipeline.ts';
import { tempDir } from './host-fixtures.ts';

const cli = async (...argv: string[]) => {
  const { io, out } = captureIo();
  const code = await main(argv, { nodes: NODES, tasks: WORKER_TASKS }, io);
  return { code, ...out };
};

const table = (from: number) => gatedCsv(from, 300);
const pipeline = (gates: unknown[]) => gatedPipeline('models-view', 'data.csv', gates);
const PASSING = [{ kind: 'metric', metric: 'evaluate.roc_auc', op: '>=', value: 0.6 }];
const STRICT = [{ kind: 'metric', metric: 'evaluate.roc_auc', op: '>=', value: 0.9999 }];

const cwd = mkdtempSync(join(tmpdir(), 'flowline-models-view-'));
const file = join(cwd, 'models.flow.json');
const service = createService({ nodes: NODES, tasks: WORKER_TASKS, stateDir: tempDir(), templatesDir: tempDir(), host: 'web', cwd });
afterAll(() => service.dispose());
const audit = (): AuditEntry[] => readFileSync(join(cwd, '.flowline', 'models', 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as AuditEntry);
const stages = async () => Object.fromEntries((await service.listModels(file)).versions.map((v) => [v.id, v.stage]));

beforeAll(async () => {
  writeFileSync(join(cwd, 'data.csv'), table(0));
  writeFileSync(file, JSON.stringify(pipeline(PASSING)));
  for (const [from, out] of [[0, 'm1.onnx'], [300, 'm2.onnx']] as const) {
    writeFileSync(join(cwd, 'data.csv'), table(from));
    const r = await cli('export', 'onnx', file, '--node', 'train', '--out', join(cwd, out));
    expect(r.code, r.stderr).toBe(0);
  }
}, 240_000);

describe('the Models view over the host API', () => {
  it('lists the versions flowline export registered beside the pipeline, with stage, lineage and model card', async () => {
    const view = await service.listModels(file);
    expect(view.dir).toBe(join(cwd, '.flowline', 'models'));
    expect(view.versions.map((v) => [v.id, v.stage])).toEqual([['v1', 'candidate'], ['v2', 'candidate']]);
    const [v1] = view.versions;
    expect(v1.lineage.runId).toMatch(/^run-/);
    expect(v1.lineage.pipeline.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(v1.lineage.data.map((d) => d.path)).toEqual(['data.csv']);
    expect(v1.lineage.metrics.evaluate.roc_auc).toBeGreaterThan(0.6);
    expect(v1.card).toBe(join(cwd, 'm1.card.html'));
    const card = await service.modelCard(file, 'v1');
    expect(card.file).toBe(v1.card);
    expect(card.html).toContain('<html');
    expect(view.audit.map((e) => [e.action, e.version])).toEqual([['register', 'v1'], ['register', 'v2']]);
  });

  it('reads only in the places a user works: a pipeline outside them, or a card a registry says is outside them, is refused by name', async () => {
    await expect(service.listModels('/etc/models.flow.json')).rejects.toMatchObject({ code: 'PATH_NOT_ALLOWED' });
    await expect(service.promoteModel('/etc/models.flow.json', 'v1', 'why')).rejects.toMatchObject({ code: 'PATH_NOT_ALLOWED' });
    // A registry that came with a pipeline from elsewhere, whose version says its export is in /etc.
    const other = mkdtempSync(join(tmpdir(), 'flowline-sent-'));
    cpSync(join(cwd, '.flowline', 'models'), join(other, '.flowline', 'models'), { recursive: true });
    const v1 = join(other, '.flowline', 'models', 'v1', 'version.json');
    writeFileSync(v1, JSON.stringify({ ...JSON.parse(readFileSync(v1, 'utf8')), exportedTo: '/etc/shadow.onnx' }));
    writeFileSync(join(other, 'sent.flow.json'), JSON.stringify(pipeline(PASSING)));
    await expect(service.modelCard(join(other, 'sent.flow.json'), 'v1')).rejects.toMatchObject({ code: 'PATH_NOT_ALLOWED', file: '/etc/shadow.card.html' });
  });

  it('promote with a reason puts the version in production and writes who, when, why and the gates to audit.jsonl', async () => {
    const r = await service.promoteModel(file, 'v1', 'first model for the pilot');
    expect(r).toMatchObject({ ok: true, action: 'promote', version: 'v1', archived: null });
    expect(await stages()).toEqual({ v1: 'production', v2: 'candidate' });
    const last = audit().at(-1)!;
    expect(last).toMatchObject({ action: 'promote', version: 'v1', who: userInfo().username, reason: 'first model for the pilot' });
    expect(last.gates?.map((g) => [g.gate, g.passed])).toEqual([['evaluate.roc_auc >= 0.6', true]]);
    expect((await service.listModels(file)).audit.at(-1)).toEqual(last);
  });

  it('a promotion a gate refuses names the gate, the measured value and the bound in the CLI\'s exit-4 words, and is audited', async () => {
    writeFileSync(file, JSON.stringify(pipeline(STRICT)));
    try {
      const r = await service.promoteModel(file, 'v2', 'try the new data');
      expect(r.ok).toBe(false);
      if (r.ok) return;
      const auc = (await service.listModels(file)).versions[1].lineage.metrics.evaluate.roc_auc;
      expect(r.refusal).toHaveLength(1);
      expect(r.refusal[0]).toContain(`gate "evaluate.roc_auc >= 0.9999" failed: measured ${auc}, bound >= 0.9999`);
      expect(r.gates).toEqual([expect.objectContaining({ gate: 'evaluate.roc_auc >= 0.9999', passed: false, measured: auc, bound: '>= 0.9999' })]);
      expect(audit().at(-1)).toMatchObject({ action: 'promote-refused', version: 'v2', reason: 'try the new data' });
      expect(await stages()).toEqual({ v1: 'production', v2: 'candidate' });
      // The CLI says the very same line for the same refusal.
      const viaCli = await cli('models', 'promote', 'v2', '--reason', 'again from the CLI', '--in', file);
      expect(viaCli.code).toBe(4);
      expect(viaCli.stderr).toContain(r.refusal[0]);
    } finally {
      writeFileSync(file, JSON.stringify(pipeline(PASSING)));
    }
  });

  it('rollback with a reason puts the previous production version back; a missing reason is refused and writes nothing', async () => {
    expect(await service.promoteModel(file, 'v2', 'newer data')).toMatchObject({ ok: true, version: 'v2', archived: 'v1' });
    const before = audit().length;
    await expect(service.rollbackModel(file, '  ')).rejects.toMatchObject({ message: expect.stringContaining('needs --reason') });
    expect(audit()).toHaveLength(before);
    expect(await service.rollbackModel(file, 'v2 scores worse in the field')).toMatchObject({ ok: true, action: 'rollback', version: 'v1', archived: 'v2' });
    expect(await stages()).toEqual({ v1: 'production', v2: 'archived' });
    expect(audit().at(-1)).toMatchObject({ action: 'rollback', version: 'v1', reason: 'v2 scores worse in the field' });
  });
});

describe('the Report button over the host API', () => {
  it('says clearly that there is no run yet, before the pipeline has run in the studio', async () => {
    await expect(service.writeReport({ path: file, pipeline: Pipeline.parse(pipeline(PASSING)), out: 'report.html' })).rejects.toMatchObject({ message: expect.stringContaining('has not run yet') });
  });

  it('writes the report of the last run: the same file flowline run --report writes for that run', async () => {
    const ended = new Map<string, () => void>();
    const off = service.onEvent((e) => e.type === 'run:end' && ended.get(e.runId)?.());
    const { runId } = await service.run({ pipeline: Pipeline.parse(pipeline(PASSING)), path: file });
    // run:end is sent once lastRun has the run; if it came already, lastRun says so.
    if ((await service.lastRun(file))?.runId !== runId) await new Promise<void>((resolve) => ended.set(runId, resolve));
    off();
    const written = await service.writeReport({ path: file, pipeline: Pipeline.parse(pipeline(PASSING)), out: 'report.html' });
    expect(written.file).toBe(join(cwd, 'report.html'));
    expect(written.runId).toBe(runId);
    const ours = readFileSync(written.file, 'utf8');
    expect(written.html).toBe(ours);
    expect(ours).toContain(runId);
    expect(ours).toContain('evaluate');

    // The CLI's function on the same run; only the time it was written differs.
    const summary = (await service.lastRun(file))!;
    const theirs = readFileSync(await writeRunReport(join(cwd, 'cli-report.html'), { pipeline: Pipeline.parse(pipeline(PASSING)), nodes: NODES, summary, runsDir: join(cwd, '.flowline', 'runs') }), 'utf8');
    const undated = (html: string) => html.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, 'TIME');
    expect(undated(ours)).toBe(undated(theirs));
  }, 120_000);

  it('refuses a file that is not .html, and a place the studio may not write', async () => {
    const p = Pipeline.parse(pipeline(PASSING));
    await expect(service.writeReport({ path: file, pipeline: p, out: 'data.csv' })).rejects.toMatchObject({ message: expect.stringContaining('a report is an .html file') });
    expect(readFileSync(join(cwd, 'data.csv'), 'utf8')).toBe(table(300));
    await expect(service.writeReport({ path: file, pipeline: p, out: '/etc/flowline-report.html' })).rejects.toMatchObject({ code: 'PATH_NOT_ALLOWED' });
  });
});
