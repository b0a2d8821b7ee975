import { statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { duckdbMemoryLimit, withConnection } from '../../../core/data/engine.ts';
import { relation } from '../../../core/data/tables.ts';
import { PREDICT_CHUNK_ROWS, predictChunkRows, predictStreamStats } from '../../../core/ml/predict-stream.ts';
import type { TableRef } from '../../../core/spec/index.ts';
import { writeBigCsv } from '../../support/big-csv.ts';
import { fakeContext } from '../../support/fake-context.ts';
import { runPipeline } from '../../support/run-pipeline.ts';

const CAP = 16 * 1024 ** 2;
const ROWS = 420_000;

// This file's process gets a DuckDB of its own (vitest isolates test files), and so does each
// worker thread, all created on first use with this cap.
process.env.FLOWLINE_DUCKDB_MEMORY = '16MB';

describe('Predict on a table larger than DuckDB memory cap', () => {
  let dir: string;
  beforeAll(async () => {
    dir = fakeContext().outDir;
    await writeBigCsv(dir, ROWS);
  });

  it('scores every row of a file 3× the cap, chunk by chunk, through a recipe replayed on its raw rows', async () => {
    expect(duckdbMemoryLimit()).toBe(CAP);
    expect(statSync(join(dir, 'big.csv')).size).toBeGreaterThan(3 * CAP);
    const before = predictStreamStats.chunks;
    const run = await runPipeline(
      {
        seed: 1,
        nodes: [
          { id: 'load', type: 'data.load_csv', version: 1, params: { path: 'big.csv' } },
          { id: 'scale', type: 'prep.scale', version: 1, params: { columns: ['x0', 'x1', 'x2', 'x3'] } },
          { id: 'sample', type: 'data.sample', version: 2, params: { size: 'rows', rows: 2000 } },
          { id: 'train', type: 'ml.train', version: 3, params: { target: 'target', task: 'binary', learner: 'logistic_regression', features: ['x0', 'x1', 'x2', 'x3', 'x4', 'x5'] } },
          { id: 'predict', type: 'ml.predict', version: 1, params: {} },
        ],
        edges: [
          { from: 'load.table', to: 'scale.table' },
          { from: 'scale.table', to: 'sample.table' },
          { from: 'sample.table', to: 'train.table' },
          { from: 'train.model', to: 'predict.model' },
          { from: 'scale.table', to: 'predict.table' },
        ],
      },
      { dir },
    );
    expect(run.nodes.filter((n) => n.error).map((n) => `${n.id}: ${n.error!.message}`)).toEqual([]);
    const out = run.output<TableRef>('predict', 'table');
    expect(out.rowCount).toBe(ROWS);
    // Scored in pieces sized to the cap (a chunk's predictions, joined while the next chunk is read, must fit).
    expect(predictChunkRows()).toBe(32_768);
    expect(predictChunkRows()).toBeLessThan(PREDICT_CHUNK_ROWS);
    expect(predictStreamStats.chunks - before).toBe(Math.ceil(ROWS / predictChunkRows()));
    const [row] = await withConnection(async (con) =>
      (await con.runAndReadAll(`SELECT count(prediction), count(DISTINCT id), max(abs(proba_0 + proba_1 - 1)), bool_and((proba_1 > 0.5) = (prediction = 1)) FROM ${relation(out)}`)).getRowsJS(),
    );
    expect(row.slice(0, 2).map(Number)).toEqual([ROWS, ROWS]);
    expect(Number(row[2])).toBeLessThan(1e-12);
    expect(row[3]).toBe(true);
    // ~15 s on a quiet machine; a minute when eight runs share two cores.
  }, 180_000);
});
