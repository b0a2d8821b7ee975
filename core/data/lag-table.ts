/**
 * Lag & Rolling Features on a table: check the columns, read them, compute on a worker
 * (lag-features.ts, kept free of DuckDB so the worker thread loads little), write the new columns.
 *
 * A table step, not a recipe step: the features are fixed values of each row (its past does not
 * change when a model is trained), so nothing is re-fitted and the test rows never shape them. It
 * must therefore read raw values: a column a feature step made or changed is refused, as Join
 * refuses such keys. The new columns then reach a model as raw inputs, which a served model asks
 * its caller for.
 */
import { type ColumnType, type RunContext, type TableRef } from '../spec/index.ts';
import { readColumns, writeColumns } from './tables.ts';
import { lagFeaturesTask, lagOutputNames, parseSpan, type LagSpec } from './lag-features.ts';

export interface LagTableParams extends LagSpec {
  keys: string[];
  time: string;
}

const WHO = 'Lag & Rolling Features';
const TIME_TYPES: ColumnType[] = ['date', 'timestamp', 'number', 'integer'];
const VALUE_TYPES: ColumnType[] = ['number', 'integer', 'boolean'];

export async function addLagFeatures(ctx: RunContext, table: TableRef, p: LagTableParams): Promise<TableRef> {
  const column = (name: string, role: string, types?: ColumnType[]) => {
    const c = table.columns.find((s) => s.name === name);
    if (!c) throw ctx.error({ code: 'COLUMN_NOT_FOUND', column: name, message: `${WHO}: there is no column '${name}' (${role}) in the input table.`, hint: `Columns: ${table.columns.map((s) => s.name).slice(0, 15).join(', ')}.` });
    if (types && !types.includes(c.type)) throw ctx.error({ code: 'COLUMN_TYPE', column: name, message: `${WHO}: column '${name}' (${role}) is ${c.type} (${c.dbType}); it must be ${role === 'time' ? 'a date, a timestamp or a number' : 'numeric'}.`, hint: 'Convert it with Cast Types first, or pick another column.' });
    return c;
  };
  if (!p.time) throw ctx.error({ code: 'INVALID_PARAM', path: ['time'], message: `${WHO}: choose the time column that orders each series.` });
  if (!p.columns.length) throw ctx.error({ code: 'INVALID_PARAM', path: ['columns'], message: `${WHO}: choose at least one numeric column to lag or roll.` });
  if (!p.lags.length && !p.windows.length && !p.spans.length) throw ctx.error({ code: 'INVALID_PARAM', path: ['lags'], message: `${WHO}: ask for at least one lag, row window or time span.` });
  if ((p.windows.length || p.spans.length) && !p.stats.length) throw ctx.error({ code: 'INVALID_PARAM', path: ['stats'], message: `${WHO}: choose at least one statistic for the windows.` });
  const time = column(p.time, 'time', TIME_TYPES);
  for (const k of p.keys) column(k, 'key');
  for (const c of p.columns) column(c, 'value', VALUE_TYPES);
  const made = new Map(table.recipe.steps.flatMap((s) => s.outputs.map((o) => [o, s.nodeId] as const)));
  for (const name of [p.time, ...p.keys, ...p.columns]) {
    const by = made.get(name);
    if (by) throw ctx.error({ code: 'INVALID_PARAM', column: name, message: `${WHO}: column '${name}' is made by the feature step of node "${by}"; lags read raw values, which a trained model re-fits nothing to get.`, hint: 'Put Lag & Rolling Features before the feature steps.' });
  }
  const isDate = time.type === 'date' || time.type === 'timestamp';
  const spans = p.spans.map((s) => parseSpan(s, isDate));
  const names = lagOutputNames(p, spans.map((s) => s.label));
  const taken = names.find((n, i) => names.indexOf(n) !== i || table.columns.some((c) => c.name === n));
  if (taken) throw ctx.error({ code: 'INVALID_PARAM', column: taken, message: `${WHO}: the output column '${taken}' ${names.indexOf(taken) !== names.lastIndexOf(taken) ? 'is asked for twice' : 'already exists'}.`, hint: 'Remove the duplicate lag, window or span, or rename the existing column.' });

  const read = await readColumns(table, [...new Set([p.time, ...p.keys, ...p.columns])]);
  ctx.throwIfCancelled();
  const series = p.keys.length ? seriesKeys(p.keys.map((k) => read.columns[k])) : undefined;
  const values = Object.fromEntries(p.columns.map((c) => [c, read.columns[c] as Float64Array]));
  const payload = { time: read.columns[p.time] as Float64Array, series, values, spec: p, spans };
  const out = await ctx.runInWorker(lagFeaturesTask, payload);
  ctx.log(`${names.length} feature column(s) from ${p.keys.length ? `${new Set(series).size} series` : 'one series'} ordered by ${p.time}.`);
  return writeColumns(ctx, table, Object.fromEntries(names.map((n, i) => [n, out[i]])));
}

/** One text key per row from the key columns (missing is a value of its own). */
function seriesKeys(cols: (Float64Array | (string | null)[])[]): string[] {
  const n = cols[0].length;
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    out[i] = cols.map((c) => {
      const v = c[i];
      return v === null || (typeof v === 'number' && Number.isNaN(v)) ? '\u0000' : String(v);
    }).join('\u0001');
  }
  return out;
}
