/**
 * Replaying a table's recipe — what Train, cross-validation, Evaluate and Predict
 * call:
 *
 *   const { frame: raw, rowIds } = await loadRawFrame(table);   // raw rows, table's row order
 *   const fitted = fitRecipe(table.recipe.steps, raw, trainRows); // learn on training rows only
 *   const X = frameToMatrix(applyRecipe(fitted, raw), features);  // transform any rows
 *
 * `fitTransformRecipe` is fit + the training transform in one: the fitting rows come back as a
 * training pipeline sees them. It differs from `applyRecipe(fitRecipe(...))` only for target
 * encoding, whose fitting rows get out-of-fold encodings (scikit-learn's fit_transform); use it
 * for the matrix a learner is fitted on.
 */
import { FlowlineError, type ColumnSchema, type RecipeStep, type TableRef } from '../spec/index.ts';
import { readColumns, relation } from '../data/tables.ts';
import { streamColumns, type StreamColumnsOptions } from '../data/column-stream.ts';
import { makeFrame, selectRows, type Frame, type FrameColumn, type NewColumn } from './frame.ts';
import { fitApplyStep, stepKind, withStepNode } from './prep/fit.ts';
import type { AnyStepKind } from './prep/types.ts';
import { refitParams } from './prep/selections.ts';

export { applyRecipe, fitApplyStep, stepKind } from './prep/fit.ts';
export { frameToMatrix } from './frame.ts';

export type RowIndex = ArrayLike<number>;

/**
 * Step param naming where columns that joined the table after its recipe began can be read raw:
 * [{ path, columns }] — the step's input table, which has them untransformed, by ROW_ID.
 */
export const RAW_SOURCES = '__raw_sources';
interface RawSource {
  path: string;
  columns: string[];
}

function toIndex(rowIndex?: RowIndex): Uint32Array | undefined {
  if (!rowIndex) return undefined;
  return rowIndex instanceof Uint32Array ? rowIndex : Uint32Array.from(rowIndex as ArrayLike<number>);
}

function refitted(step: RecipeStep, kind: AnyStepKind, state: unknown): RecipeStep {
  const io = kind.io(step.params, state);
  return { ...step, inputs: io.inputs, outputs: io.outputs, exportable: kind.exportable, state };
}

/**
 * Fit every step on the rows in `rowIndex` (all rows when absent) and transform every row of
 * `frame`; the fitting rows come back as training sees them (out-of-fold target encodings).
 */
export function fitTransformRecipe(steps: RecipeStep[], frame: Frame, rowIndex?: RowIndex): { steps: RecipeStep[]; frame: Frame } {
  const index = toIndex(rowIndex);
  const fitted: RecipeStep[] = [];
  let current = frame;
  for (const step of steps) {
    const kind = stepKind(step);
    // A selector ("all numeric") is resolved again on these rows; the fitted step records the names.
    const params = withStepNode(step, () => refitParams(kind, step, current));
    const r = withStepNode(step, () => fitApplyStep(kind, current, params, index));
    fitted.push(refitted({ ...step, params }, kind, r.state));
    current = r.frame;
  }
  return { steps: fitted, frame: current };
}

/** The same steps with `state` re-fitted on the rows in `rowIndex` only (all rows when absent). */
export function fitRecipe(steps: RecipeStep[], frame: Frame, rowIndex?: RowIndex): RecipeStep[] {
  // Only the fitting rows matter: drop the others first so later steps transform fewer rows.
  const index = toIndex(rowIndex);
  const rows = index ? selectRows(frame, index) : frame;
  return fitTransformRecipe(steps, rows).steps;
}

/** Frame from readColumns output, typed from a schema. */
function frameOf(columns: Record<string, FrameColumn>, schema: ColumnSchema[], rows: number): Frame {
  const types = new Map(schema.map((c) => [c.name, c.type]));
  const cols: NewColumn[] = Object.entries(columns).map(([name, values]) => ({
    name,
    type: values instanceof Float64Array ? (types.get(name) ?? 'number') : 'string',
    values,
  }));
  return makeFrame(cols, rows);
}

function expand(col: FrameColumn, positions: Int32Array): FrameColumn {
  if (col instanceof Float64Array) return Float64Array.from(positions, (p) => col[p]);
  return Array.from(positions, (p) => col[p]);
}

/**
 * The raw rows behind `table`: each of its rows (ascending ROW_ID, as readColumns orders them)
 * read from `table.recipe.base` by ROW_ID, plus any of the table's columns the replay does not
 * produce (e.g. joined in after the steps), taken as they are. `columns` restricts what is read
 * (raw names; default every base column plus those extra ones).
 */
export async function loadRawFrame(table: TableRef, columns?: string[]): Promise<{ frame: Frame; rowIds: Int32Array }> {
  const base = table.recipe.base;
  if (!base || table.recipe.steps.length === 0) {
    const names = columns ?? table.columns.map((c) => c.name);
    const r = await readColumns(table, names);
    return { frame: frameOf(r.columns as Record<string, FrameColumn>, table.columns, r.rowIds.length), rowIds: r.rowIds };
  }
  const plan = rawPlan(table, base, columns);
  const t = await readColumns(table, plan.fromTable);
  return { frame: await joinRaw(plan, t.rowIds, t.columns as Record<string, FrameColumn>), rowIds: t.rowIds };
}

/**
 * The raw rows with these ROW_IDs (any order, repeats allowed), in that order: each column read
 * from the file the plan names by ROW_ID, or taken from `own` (the table's columns for those rows).
 */
async function joinRaw(plan: RawPlan, rowIds: Int32Array, own: Record<string, FrameColumn>): Promise<Frame> {
  const { rawFrom, wanted, fromTable, schema } = plan;
  const unique = uniqueAscending(rowIds);
  const all: Record<string, FrameColumn> = {};
  for (const path of new Set(rawFrom.values())) {
    const names = wanted.filter((n) => rawFrom.get(n) === path);
    if (!names.length) continue;
    const b = await readColumns({ path }, names, { rowIds: unique });
    let raw = b.columns as Record<string, FrameColumn>;
    const sameRows = b.rowIds.length === rowIds.length && b.rowIds.every((id, i) => id === rowIds[i]);
    if (!sameRows) {
      const at = new Map<number, number>();
      b.rowIds.forEach((id, i) => at.set(id, i));
      const positions = Int32Array.from(rowIds, (id) => {
        const p = at.get(id);
        if (p === undefined) throw new FlowlineError({ code: 'INTERNAL', message: `Row ${id} of the table is not in the data its recipe starts from (${path}).`, hint: 'Re-run the pipeline from its source.' });
        return p;
      });
      raw = Object.fromEntries(Object.entries(raw).map(([n, c]) => [n, expand(c, positions)]));
    }
    Object.assign(all, raw);
  }
  for (const n of fromTable) all[n] = own[n];
  const ordered: Record<string, FrameColumn> = {};
  for (const n of wanted) ordered[n] = all[n];
  return frameOf(ordered, schema, rowIds.length);
}

/**
 * loadRawFrame a chunk at a time, for tables larger than memory: `onChunk` gets up to `chunkRows`
 * raw rows (and their ROW_IDs) at a time in the table's FILE order (not ROW_ID order), each
 * awaited before the next is read. A table with a recipe streams its ROW_IDs and reads each
 * chunk's raw rows by ROW_ID (DuckDB skips the row groups outside the chunk's ROW_ID range, so a
 * table in ROW_ID order reads each file about once).
 */
export async function rawFrameChunks(table: TableRef, columns: string[], opts: StreamColumnsOptions, onChunk: (frame: Frame, rowIds: Int32Array) => Promise<void>): Promise<number> {
  const base = table.recipe.base;
  if (!base || table.recipe.steps.length === 0) {
    return streamColumns(relation(table), columns, opts, (c) => onChunk(frameOf(c.columns as Record<string, FrameColumn>, table.columns, c.rowIds.length), c.rowIds));
  }
  const plan = rawPlan(table, base, columns);
  return streamColumns(relation(table), plan.fromTable, opts, async (c) => onChunk(await joinRaw(plan, c.rowIds, c.columns as Record<string, FrameColumn>), c.rowIds));
}

type RawPlan = ReturnType<typeof rawPlan>;

/** The distinct ids, ascending (a table's rows come in ROW_ID order, so the sort is usually skipped). */
function uniqueAscending(ids: Int32Array): number[] {
  let sorted = true;
  for (let i = 1; i < ids.length && sorted; i++) sorted = ids[i] >= ids[i - 1];
  const src = sorted ? ids : Int32Array.from(ids).sort();
  const out: number[] = [];
  for (let i = 0; i < src.length; i++) if (i === 0 || src[i] !== src[i - 1]) out.push(src[i]);
  return out;
}

/**
 * Where each raw column of `table` is read: `rawFrom` maps a column to the file holding it raw (the
 * recipe's base or a step's RAW_SOURCES), `fromTable` lists those taken from the table as they are.
 */
function rawPlan(table: TableRef, base: NonNullable<TableRef['recipe']['base']>, columns?: string[]) {
  const sources: RawSource[] = [{ path: base.path, columns: base.columns.map((c) => c.name) }];
  for (const step of table.recipe.steps) sources.push(...((step.params[RAW_SOURCES] as RawSource[] | undefined) ?? []));
  const rawFrom = new Map<string, string>();
  for (const s of sources) for (const c of s.columns) if (!rawFrom.has(c)) rawFrom.set(c, s.path);
  const produced = new Set(table.recipe.steps.flatMap((s) => s.outputs));
  const extra = table.columns.map((c) => c.name).filter((n) => !rawFrom.has(n) && !produced.has(n));
  const wanted = columns ?? [...rawFrom.keys(), ...extra];
  const fromTable = wanted.filter((n) => !rawFrom.has(n));
  for (const n of fromTable) {
    if (!table.columns.some((c) => c.name === n)) {
      throw new FlowlineError({ code: 'COLUMN_NOT_FOUND', column: n, message: `Column '${n}' is neither in the table nor in the data its recipe starts from.`, hint: 'Check the column list.' });
    }
  }
  const baseNames = new Set(base.columns.map((c) => c.name));
  const schema = [...base.columns, ...table.columns.filter((c) => !baseNames.has(c.name))];
  return { rawFrom, wanted, fromTable, schema };
}

