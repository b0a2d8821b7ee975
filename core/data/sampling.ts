/**
 * Sample Rows and Split: check the parameters against the table's columns, have a worker choose
 * the rows (row-choice.ts), and write the chosen rows, ROW_ID and recipe kept, in ROW_ID order.
 * The rows themselves never leave DuckDB.
 */
import type { RunContext, TableRef } from '../spec/index.ts';
import { sampleRowsTask, splitRowsTask, type SampleRowsJob, type SplitPlan } from './row-choice.ts';
import { writeRowSubsets } from './tables.ts';

export interface SplitTableOptions extends Omit<SplitPlan, 'seed'> {
  /** Target column (stratified) or date column (time). */
  column?: string;
}

/** Split a table into train / validation / test outputs (ROW_ID and recipe kept). */
export async function splitTable(ctx: RunContext, t: TableRef, o: SplitTableOptions): Promise<{ train: TableRef; validation: TableRef; test: TableRef }> {
  if (o.testFraction < 0 || o.validationFraction < 0 || o.testFraction + o.validationFraction >= 1) {
    throw ctx.error({ code: 'INVALID_PARAM', message: `The test (${o.testFraction}) and validation (${o.validationFraction}) fractions must add up to less than 1.`, hint: 'For example test 0.2 and validation 0 or 0.1.' });
  }
  const needsColumn = o.method !== 'random';
  if (needsColumn && !o.column) {
    throw ctx.error({ code: 'INVALID_PARAM', message: o.method === 'time' ? 'Choose the date column to split by time.' : 'Choose the target column to stratify by.' });
  }
  if (needsColumn && !t.columns.some((c) => c.name === o.column)) {
    throw ctx.error({ code: 'COLUMN_NOT_FOUND', column: o.column, message: `Column "${o.column}" is not in the input table.`, hint: `Columns are: ${t.columns.map((c) => c.name).join(', ')}.` });
  }
  if (o.method === 'time') {
    const col = t.columns.find((c) => c.name === o.column)!;
    if (!['date', 'timestamp', 'number', 'integer'].includes(col.type)) {
      throw ctx.error({ code: 'COLUMN_TYPE', column: o.column, message: `Column "${o.column}" holds ${col.dbType.toLowerCase()} values, not dates: a time split needs dates or numbers that order the rows in time.`, hint: 'Convert the column to a date first (Cast Types), or choose another column.' });
    }
  }
  const { method, testFraction, validationFraction } = o;
  const lists = await ctx.runInWorker(splitRowsTask, { table: t, plan: { method, testFraction, validationFraction, seed: ctx.seed }, column: needsColumn ? o.column : undefined });
  const n = lists.train.length + lists.validation.length + lists.test.length;
  ctx.log(`Split ${n} rows: ${lists.train.length} train, ${lists.validation.length} validation, ${lists.test.length} test.`);
  const out = await writeRowSubsets(ctx, t, lists);
  return { train: out.train, validation: out.validation, test: out.test };
}

export type SampleOptions = Pick<SampleRowsJob, 'size' | 'stratifyBy'>;

/** A seeded random sample of rows (ROW_ID and recipe kept, rows in ROW_ID order). */
export async function sampleTable(ctx: RunContext, t: TableRef, o: SampleOptions): Promise<TableRef> {
  if (o.stratifyBy && !t.columns.some((c) => c.name === o.stratifyBy)) {
    throw ctx.error({ code: 'COLUMN_NOT_FOUND', column: o.stratifyBy, message: `Column "${o.stratifyBy}" is not in the input table.`, hint: `Columns are: ${t.columns.map((c) => c.name).join(', ')}.` });
  }
  const { chosen, of } = await ctx.runInWorker(sampleRowsTask, { table: t, size: o.size, stratifyBy: o.stratifyBy, seed: ctx.seed });
  ctx.log(`Sampled ${chosen.length} of ${of} rows.`);
  return (await writeRowSubsets(ctx, t, { table: chosen })).table;
}
