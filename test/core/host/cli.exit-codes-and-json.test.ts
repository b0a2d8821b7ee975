import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../core/host/cli.ts';
import { TOY_TASKS } from '../../support/toy-tasks.ts';
import { captureIo } from '../../support/capture-io.ts';
import { TOY_NODES } from '../../support/toy-nodes.ts';

let dir: string;
const write = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};
const pipeline = (nodes: unknown[], edges: unknown[] = []) => ({ format: 'flowline.pipeline', version: 1, name: 't', nodes, edges });
const cli = async (...argv: string[]) => {
  const { io, out } = captureIo();
  const code = await main(argv, { nodes: TOY_NODES, tasks: TOY_TASKS }, io);
  return { code, ...out };
};

describe('flowline CLI', () => {
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'flowline-cli-'));
  });

  it('run --json prints the documented object and exits 0; a second run is all cached', async () => {
    const file = write('ok.flow.json', pipeline([{ id: 'one', type: 'toy.constant', version: 1, params: { value: 2 } }, { id: 'sum', type: 'toy.add', version: 1, params: { plus: 1 } }], [{ from: 'one.out', to: 'sum.a' }]));
    const first = await cli('run', file, '--json');
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(Object.keys(report)).toEqual(['status', 'durationMs', 'nodes', 'metrics', 'artifacts', 'explanations']);
    expect(report.status).toBe('done');
    expect(report.nodes.map((n: { id: string; status: string }) => `${n.id}:${n.status}`)).toEqual(['one:done', 'sum:done']);
    expect(report.metrics).toEqual({ one: { v: 2 }, sum: { v: 3 } });
    const second = JSON.parse((await cli('run', file, '--json')).stdout);
    expect(second.nodes.map((n: { status: string }) => n.status)).toEqual(['cached', 'cached']);
    const changed = JSON.parse((await cli('run', file, '--json', '--set', 'sum.plus=5')).stdout);
    expect(changed.nodes.map((n: { status: string }) => n.status)).toEqual(['cached', 'done']);
    expect(changed.nodes[1].reason).toBe('params changed: plus');
    expect(changed.metrics.sum.v).toBe(7);
  });

  it('exits 1 when a node fails, naming the node and the error', async () => {
    const file = write('fail.flow.json', pipeline([{ id: 'one', type: 'toy.constant', version: 1, params: {} }, { id: 'boom', type: 'toy.add', version: 1, params: { fail: true } }], [{ from: 'one.out', to: 'boom.a' }]));
    const json = await cli('run', file, '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).nodes[1]).toMatchObject({ id: 'boom', status: 'error', error: { code: 'BAD_DATA', message: 'asked to fail' } });
    const human = await cli('run', file);
    expect(human.code).toBe(1);
    expect(human.stderr).toContain('node "boom"');
    expect(human.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('validate reports a cycle, a type mismatch and an out-of-range param together and exits 2', async () => {
    const file = write(
      'bad.flow.json',
      pipeline(
        [
          { id: 'c', type: 'toy.constant', version: 1, params: { value: 1000 } },
          { id: 'x', type: 'toy.add', version: 1, params: {} },
          { id: 'y', type: 'toy.add', version: 1, params: {} },
          { id: 'sink', type: 'toy.table_sink', version: 1, params: {} },
        ],
        [
          { from: 'x.out', to: 'y.a' },
          { from: 'y.out', to: 'x.a' },
          { from: 'c.out', to: 'sink.table' },
        ],
      ),
    );
    const human = await cli('validate', file);
    expect(human.code).toBe(2);
    expect(human.stderr).toContain('3 problems');
    expect(human.stderr).toMatch(/\[CYCLE\] node "(x|y)"/);
    expect(human.stderr).toContain('[PORT_TYPE_MISMATCH] node "sink"');
    expect(human.stderr).toContain('[INVALID_PARAM] node "c"');
    const json = JSON.parse((await cli('validate', file, '--json')).stdout);
    expect(json.valid).toBe(false);
    expect(json.diagnostics.map((d: { code: string }) => d.code).sort()).toEqual(['CYCLE', 'INVALID_PARAM', 'PORT_TYPE_MISMATCH']);
  });

  it('exits 2 with a plain message for a file that is not JSON, a newer version, a missing file, or a bad --set', async () => {
    const notJson = await cli('run', write('x.flow.json', '{"format": "flowline.pipeline",\n oops}'));
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/PIPELINE_NOT_JSON.*x\.flow\.json:2/);

    const newer = await cli('run', write('new.flow.json', { format: 'flowline.pipeline', version: 7, nodes: [] }));
    expect(newer.code).toBe(2);
    expect(newer.stderr).toContain('newer Flowline');

    const missing = await cli('run', join(dir, 'nope.flow.json'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('There is no pipeline file');

    const file = write('ok.flow.json', pipeline([{ id: 'one', type: 'toy.constant', version: 1, params: {} }]));
    const badSet = await cli('run', file, '--set', 'two.value=1');
    expect(badSet.code).toBe(2);
    expect(badSet.stderr).toContain('there is no node "two"');
    for (const r of [notJson, newer, missing, badSet]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('--out writes the report and each metrics output', async () => {
    const file = write('ok.flow.json', pipeline([{ id: 'one', type: 'toy.constant', version: 1, params: { value: 4 } }]));
    const out = join(dir, 'results');
    expect((await cli('run', file, '--out', out)).code).toBe(0);
    const { readFileSync } = await import('node:fs');
    expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).status).toBe('done');
    expect(JSON.parse(readFileSync(join(out, 'one.out.json'), 'utf8')).values.v).toBe(4);
  });
});
