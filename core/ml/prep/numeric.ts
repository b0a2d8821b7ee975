import { FlowlineError } from '../../spec/index.ts';
import { numericColumn, pick, type Frame, type NewColumn } from '../frame.ts';

/** The fitting rows of a numeric column, with a clear error for text. */
export function fitValues(frame: Frame, name: string, who: string, rowIndex?: Uint32Array): Float64Array {
  return pick(numericColumn(frame, name, who), rowIndex);
}

/** Map each value of each column through `f`; NaN stays NaN unless `f` decides otherwise. */
export function mapColumns(frame: Frame, names: string[], who: string, f: (v: number, j: number) => number, type: 'number' | 'integer' = 'number'): NewColumn[] {
  return names.map((name, j) => {
    const col = numericColumn(frame, name, who);
    const out = new Float64Array(col.length);
    for (let i = 0; i < col.length; i++) out[i] = f(col[i], j);
    return { name, type, values: out };
  });
}

export function noValues(who: string, column: string): FlowlineError {
  return new FlowlineError({
    code: 'BAD_DATA',
    message: `${who}: column '${column}' has no values in the rows used for fitting.`,
    hint: `Fill the gaps first (Impute Missing), or remove '${column}' from the column list.`,
    column,
  });
}
