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
import { readColumns } from '../data/tables.ts';
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
  const t = await readColumns(table, fromTable);
  const rowIds = t.rowIds;
  const unique: number[] = [];
  for (let i = 0; i < rowIds.length; i++) if (i === 0 || rowIds[i] !== rowIds[i - 1]) unique.push(rowIds[i]);
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
  for (const n of fromTable) all[n] = t.columns[n] as FrameColumn;
  const ordered: Record<string, FrameColumn> = {};
  for (const n of wanted) ordered[n] = all[n];
  const baseNames = new Set(base.columns.map((c) => c.name));
  const schema = [...base.columns, ...table.columns.filter((c) => !baseNames.has(c.name))];
  return { frame: frameOf(ordered, schema, rowIds.length), rowIds };
}
