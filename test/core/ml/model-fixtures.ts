/**
 * Small tables for the Train / CV / Tune tests: written with writeJsTable, optionally given a
 * recipe (e.g. a scale step whose base is the raw table) and "split" by ROW_ID, as a Split node
 * would: the split table keeps the recipe and its base, so Train replays from the raw rows.
 */
import { ident, relation, writeJsTable, writeTable, type JsColumn } from '../../../core/data/tables.ts';
import { Rng } from '../../../core/spec/random.ts';
import { ROW_ID, type RecipeStep, type RunContext, type TableRef } from '../../../core/spec/index.ts';

export interface Rows {
  x1: Float64Array;
  x2: Float64Array;
  city: string[];
  label: string[];
  amount: Float64Array;
}

/** n rows: label 'yes' when x1 + x2 + noise > 0.3; amount = 3·x1 − 2·x2 + noise; city text. */
export function makeRows(n: number, seed = 1): Rows {
  const rng = new Rng(seed);
  const x1 = new Float64Array(n), x2 = new Float64Array(n), amount = new Float64Array(n);
  const city: string[] = [], label: string[] = [];
  for (let i = 0; i < n; i++) {
    x1[i] = rng.normal() * 2 + 1;
    x2[i] = rng.normal();
    amount[i] = 3 * x1[i] - 2 * x2[i] + rng.normal() * 0.1;
    label.push(x1[i] + x2[i] + rng.normal() * 0.5 > 0.3 ? 'yes' : 'no');
    city.push(['Lyon', 'Oslo', 'Porto'][rng.int(3)]);
  }
  return { x1, x2, city, label, amount };
}

let tables = 0;
/** A fresh table file in ctx.outDir (one name per call, so tables written by one test don't collide). */
export async function rawTable(ctx: RunContext, cols: JsColumn[]): Promise<TableRef> {
  return writeJsTable(ctx, cols, { port: `raw${process.pid}_${tables++}` });
}

export function scaleStep(columns: string[]): RecipeStep {
  return { nodeId: 'scale', kind: 'scale', params: { columns, method: 'standard' }, inputs: columns, outputs: columns, exportable: true };
}

/** The table with row-wise steps appended (their preview states left out: Train re-fits them). */
export function withRecipe(t: TableRef, steps: RecipeStep[]): TableRef {
  return { ...t, recipe: { base: { path: t.path, columns: t.columns }, steps } };
}

/** Rows whose ROW_ID passes `where` (SQL on ROW_ID), keeping the recipe: what a Split node hands on. */
export async function subset(ctx: RunContext, t: TableRef, where: string, port: string): Promise<TableRef> {
  return writeTable(ctx, `SELECT * FROM ${relation(t)} WHERE ${where.replaceAll('ROW', ident(ROW_ID))}`, { port, recipe: t.recipe });
}
