import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../core/host/cli.ts';
import { WORKER_TASKS } from '../../../core/host/worker-tasks.ts';
import { NODES } from '../../../nodes/index.ts';
import { captureIo } from '../../support/capture-io.ts';

let dir: string;
const cli = async (...argv: string[]) => {
  const { io, out } = captureIo();
  // The pipeline has a SQL node; trusting it is not what these tests are about.
  const code = await main(argv[0] === 'run' ? [...argv, '--trust'] : argv, { nodes: NODES, tasks: WORKER_TASKS }, io);
  return { code, ...out, json: () => JSON.parse(out.stdout) };
};

/** load → filter → SQL aggregate → write Parquet, the spine of issue 2. */
function writePipeline(csv: string, condition = 'amount > 10'): string {
  const file = join(dir, 'agg.flow.json');
  writeFileSync(
    file,
    JSON.stringify({
      format: 'flowline.pipeline',
      version: 1,
      name: 'aggregate',
      nodes: [
        { id: 'load', type: 'data.load_csv', version: 1, params: { path: csv } },
        { id: 'filter', type: 'data.filter_rows', version: 1, params: { condition } },
        { id: 'agg', type: 'data.sql', version: 1, params: { query: 'SELECT category, count(*) AS n, sum(amount) AS total FROM input1 GROUP BY category ORDER BY category' } },
        { id: 'write', type: 'data.write_parquet', version: 1, params: { path: 'out/summary.parquet' } },
      ],
      edges: [
        { from: 'load.table', to: 'filter.table' },
        { from: 'filter.table', to: 'agg.tables' },
        { from: 'agg.table', to: 'write.table' },
      ],
    }),
  );
  return file;
}

describe('flowline run on a data pipeline', () => {
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'flowline-cli-data-'));
  });

  it('runs, caches every node, and re-runs only the filter and what follows when the filter changes', async () => {
    const lines = ['id,category,amount'];
    for (let i = 0; i < 500; i++) lines.push(`${i},${['a', 'b', 'c'][i % 3]},${i % 50}`);
    writeFileSync(join(dir, 'sales.csv'), lines.join('\n'));
    const file = writePipeline('sales.csv');

    const first = await cli('run', file, '--json');
    expect(first.code).toBe(0);
    const report = first.json();
    expect(report.nodes.map((n: { status: string }) => n.status)).toEqual(['done', 'done', 'done', 'done']);
    expect(report.artifacts).toEqual([{ nodeId: 'write', kind: 'parquet', path: join(dir, 'out', 'summary.parquet') }]);
    expect(existsSync(join(dir, 'out', 'summary.parquet'))).toBe(true);

    const second = (await cli('run', file, '--json')).json();
    expect(second.nodes.map((n: { status: string }) => n.status)).toEqual(['cached', 'cached', 'cached', 'cached']);

    const changed = (await cli('run', file, '--json', '--set', 'filter.condition=amount > 20')).json();
    expect(changed.nodes.map((n: { id: string; status: string }) => `${n.id}:${n.status}`)).toEqual(['load:cached', 'filter:done', 'agg:done', 'write:done']);
    expect(changed.nodes[1].reason).toBe('params changed: condition');
  });

  it('re-runs the loader when the CSV file changes on disk', async () => {
    writeFileSync(join(dir, 'sales.csv'), 'id,category,amount\n1,a,30\n');
    const file = writePipeline('sales.csv');
    await cli('run', file, '--json');
    writeFileSync(join(dir, 'sales.csv'), 'id,category,amount\n1,a,30\n2,b,40\n');
    const again = (await cli('run', file, '--json')).json();
    expect(again.nodes[0].status).toBe('done');
    expect(again.nodes[0].reason).toMatch(/^file changed: .*sales\.csv$/);
  });

  const badInputs: [string, string | Buffer, RegExp][] = [
    ['an empty file', '', /FILE_EMPTY.*empty\.csv/s],
    ['a header only', 'id,category,amount\n', /NO_ROWS.*header/s],
    ['ragged rows', 'id,category,amount\n1,a,3\n2,b\n3,c,5\n', /CSV_PARSE.*bad\.csv:3/s],
    ['a binary file renamed .csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1, 2, 3, 0, 0, 0xff, 0xfe]), /FILE_NOT_TEXT/],
  ];
  for (const [what, content, pattern] of badInputs) {
    it(`names the node and the file for ${what}, exits 1, and writes no output file`, async () => {
      const name = what === 'an empty file' ? 'empty.csv' : 'bad.csv';
      writeFileSync(join(dir, name), content);
      const result = await cli('run', writePipeline(name));
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(pattern);
      expect(result.stderr).toContain('node "load"');
      expect(result.stderr).toContain(name);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(join(dir, 'out', 'summary.parquet'))).toBe(false);
    });
  }

  it('names the missing file', async () => {
    const result = await cli('run', writePipeline('nowhere.csv'), '--json');
    expect(result.code).toBe(1);
    expect(result.json().nodes[0]).toMatchObject({ id: 'load', status: 'error', error: { code: 'FILE_NOT_FOUND' } });
    expect(result.json().nodes[0].error.message).toContain('nowhere.csv');
    expect(result.json().nodes.slice(1).map((n: { status: string }) => n.status)).toEqual(['skipped', 'skipped', 'skipped']);
  });
});
