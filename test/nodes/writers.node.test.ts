import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeTable } from '../../core/data/tables.ts';
import { writeCsv, writeParquet } from '../../core/data/writers.ts';
import type { ArtifactValue } from '../../core/spec/index.ts';
import { fakeContext } from '../support/fake-context.ts';
import { runPipeline } from '../support/run-pipeline.ts';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/data');

describe('writer nodes', () => {
  it('data.write_csv writes the rows in order without hidden columns and records a fingerprint', async () => {
    const d = mkdtempSync(join(tmpdir(), 'flowline-w-'));
    copyFileSync(join(FIXTURES, 'people.csv'), join(d, 'people.csv'));
    const r = await runPipeline(
      {
        nodes: [
          { id: 'load', type: 'data.load_csv', version: 1, params: { path: 'people.csv' } },
          { id: 'f', type: 'data.filter_rows', version: 1, params: { condition: "city = 'Lyon'" } },
          { id: 'save', type: 'data.write_csv', version: 1, params: { path: 'out/lyon.csv', delimiter: ';' } },
        ],
        edges: [
          { from: 'load.table', to: 'f.table' },
          { from: 'f.table', to: 'save.table' },
        ],
      },
      { dir: d },
    );
    const file = r.output<ArtifactValue>('save', 'file');
    expect(file).toMatchObject({ kind: 'artifact', format: 'csv', path: join(d, 'out/lyon.csv') });
    const s = statSync(file.path);
    expect(file.fingerprint).toBe(`${s.size}:${Math.round(s.mtimeMs)}`);
    expect(readFileSync(file.path, 'utf8')).toBe(
      'id;name;age;income;city;joined;member\n2;Ben;;41000.0;Lyon;2020-11-20;false\n5;Eve;42;61000.25;Lyon;2021-08-09;true\n8;Hal;61;99000.0;Lyon;2018-12-12;true\n',
    );
    expect(readdirSync(join(d, 'out'))).toEqual(['lyon.csv']);
  });

  it('a failed or cancelled write leaves no partial file and keeps the previous one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-w-'));
    const t = await writeTable(fakeContext(), 'SELECT i AS a FROM range(50000) t(i)', { newRowIds: true });
    writeFileSync(join(dir, 'keep.csv'), 'previous\n');
    const controller = new AbortController();
    controller.abort();
    const cancelled = fakeContext({ pipelineDir: dir, signal: controller.signal });
    await expect(writeCsv(cancelled, t, 'keep.csv')).rejects.toMatchObject({ code: 'CANCELLED' });
    await expect(writeParquet(cancelled, t, 'new.parquet')).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(readdirSync(dir)).toEqual(['keep.csv']);
    expect(readFileSync(join(dir, 'keep.csv'), 'utf8')).toBe('previous\n');
    // a folder that cannot be created (a file is in the way)
    writeFileSync(join(dir, 'blocker'), 'x');
    const e = await writeCsv(fakeContext({ pipelineDir: dir, nodeId: 'save' }), t, 'blocker/out.csv').catch((x) => x);
    expect(e).toMatchObject({ code: 'BAD_DATA', file: 'blocker/out.csv', nodeId: 'save' });
    expect(readdirSync(dir).sort()).toEqual(['blocker', 'keep.csv']);
  });
});
