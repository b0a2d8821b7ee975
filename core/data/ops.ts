/**
 * Table-level operations: they change which rows or columns reach training but are
 * not part of the served model. Row-preserving ones keep ROW_ID and the input recipe;
 * row-creating ones (union, SQL) assign new ROW_IDs and start an empty recipe.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { join } from 'node:path';
import { ROW_ID, type FlowlineError, type Recipe, type RunContext, type TableRef } from '../spec/index.ts';
import { ident, identList, withConnection } from './engine.ts';
import { fromDuckdb } from './errors.ts';
import { copyToParquet, fileSchema, relation, writeTable, writeTableOn } from './tables.ts';
import { expressionToSql, type ExpressionSql } from './expression-sql.ts';
import { expressionLabel, parseExpression } from '../spec/expression.ts';

const names = (t: TableRef) => t.columns.map((c) => c.name);

/** Throws COLUMN_NOT_FOUND for the first listed column the table lacks. */
export function requireColumns(ctx: RunContext, t: TableRef, cols: string[], what: string): void {
  const have = new Set(names(t));
  for (const c of cols) {
    if (!have.has(c)) {
      throw ctx.error({ code: 'COLUMN_NOT_FOUND', column: c, message: `${what}: column "${c}" is not in the input table.`, hint: `Columns are: ${names(t).join(', ')}.` });
    }
  }
}

/** Keep the listed columns in the listed order, or drop them. */
export async function selectColumns(ctx: RunContext, t: TableRef, cols: string[], mode: 'keep' | 'drop'): Promise<TableRef> {
  requireColumns(ctx, t, cols, mode === 'keep' ? 'Keep columns' : 'Drop columns');
  const drop = new Set(cols);
  const kept = mode === 'keep' ? [...new Set(cols)] : names(t).filter((c) => !drop.has(c));
  if (!kept.length) throw ctx.error({ code: 'INVALID_PARAM', message: 'No column would be left in the table.', hint: mode === 'keep' ? 'Choose at least one column to keep.' : 'Drop fewer columns.' });
  return writeTable(ctx, `SELECT ${ident(ROW_ID)}, ${identList(kept)} FROM ${relation(t)}`, { recipe: t.recipe });
}

/**
 * Rename columns. The recipe is re-fitted from its base by column name, so a renamed column a
 * recipe step reads or writes cannot be renamed after that step; a raw column no step touches is
 * renamed in the recipe's base too.
 */
export async function renameColumns(ctx: RunContext, t: TableRef, mapping: Record<string, string>): Promise<TableRef> {
  const entries = Object.entries(mapping).filter(([from, to]) => from !== to);
  requireColumns(ctx, t, entries.map(([from]) => from), 'Rename columns');
  const finalNames = names(t).map((c) => mapping[c] ?? c);
  const dup = finalNames.find((c, i) => finalNames.indexOf(c) !== i);
  if (dup !== undefined) throw ctx.error({ code: 'INVALID_PARAM', column: dup, message: `Two columns would both be called "${dup}".`, hint: 'Choose distinct new names.' });
  for (const [from, to] of entries) {
    if (!to.trim()) throw ctx.error({ code: 'INVALID_PARAM', column: from, message: `The new name for "${from}" is empty.` });
    if (to === ROW_ID) throw ctx.error({ code: 'INVALID_PARAM', column: from, message: `"${ROW_ID}" is reserved for Flowline's row ids.` });
  }
  let recipe: Recipe = t.recipe;
  if (t.recipe.steps.length && entries.length) {
    for (const [from] of entries) {
      const step = t.recipe.steps.find((s) => s.outputs.includes(from) || s.inputs.includes(from));
      if (step) {
        const role = step.outputs.includes(from) ? 'made' : 'used';
        throw ctx.error({
          code: 'INVALID_PARAM',
          column: from,
          message: `Column "${from}" is ${role} by the feature step of node "${step.nodeId}", so it cannot be renamed after that step: a trained model would look for the old name.`,
          hint: 'Move Rename Columns before the feature steps.',
        });
      }
    }
    const base = t.recipe.base!;
    const basePath = join(ctx.outDir, 'recipe-base.parquet');
    const baseCols = base.columns.map((c) => c.name);
    await withConnection((con) =>
      copyToParquet(con, `SELECT ${ident(ROW_ID)}, ${baseCols.map((c) => `${ident(c)} AS ${ident(mapping[c] ?? c)}`).join(', ')} FROM ${relation(base)}`, basePath),
    );
    recipe = { base: { path: basePath, columns: base.columns.map((c) => ({ ...c, name: mapping[c.name] ?? c.name })) }, steps: t.recipe.steps };
  }
  const select = names(t).map((c) => `${ident(c)} AS ${ident(mapping[c] ?? c)}`);
  return writeTable(ctx, `SELECT ${ident(ROW_ID)}${select.map((s) => ', ' + s).join('')} FROM ${relation(t)}`, { recipe });
}

/**
 * Rows where a condition in Flowline's expression language holds (missing counts as false). The
 * condition is parsed by our grammar and the SQL is emitted from its tree (expression-sql.ts): user
 * text never reaches DuckDB, so a condition cannot query, read files or call arbitrary functions.
 */
export async function filterRows(ctx: RunContext, t: TableRef, expression: string): Promise<TableRef> {
  const label = expressionLabel('Filter', expression);
  let condition: ExpressionSql;
  try {
    condition = expressionToSql(parseExpression(expression, label), t.columns, label);
  } catch (e) {
    throw withNode(ctx, e as FlowlineError);
  }
  if (condition.type !== 'bool') {
    throw ctx.error({ code: 'EXPRESSION_ERROR', message: `${label}: the filter must be a true/false condition, but it gives ${condition.type === 'number' ? 'numbers' : condition.type === 'text' ? 'text' : 'dates'}.`, hint: "Compare values, e.g. price > 100 or city = 'Paris'." });
  }
  try {
    return await writeTable(ctx, `SELECT * FROM ${relation(t)} WHERE coalesce(${condition.sql}, false)`, { recipe: t.recipe, params: condition.params });
  } catch (e) {
    throw withNode(ctx, fromDuckdb(e, { what: `the filter "${expression}"`, codeForUserText: 'EXPRESSION_ERROR', columns: names(t) }));
  }
}

function withNode(ctx: RunContext, e: FlowlineError): FlowlineError {
  e.nodeId ??= ctx.nodeId;
  return e;
}

/** One row per distinct value of `cols` (all columns when empty), keeping the first (or last) by ROW_ID. */
export async function removeDuplicates(ctx: RunContext, t: TableRef, cols: string[], keep: 'first' | 'last'): Promise<TableRef> {
  requireColumns(ctx, t, cols, 'Remove duplicates');
  const by = cols.length ? cols : names(t);
  if (!by.length) return writeTable(ctx, `SELECT * FROM ${relation(t)}`, { recipe: t.recipe });
  const sql = `SELECT * FROM ${relation(t)} QUALIFY row_number() OVER (PARTITION BY ${identList(by)} ORDER BY ${ident(ROW_ID)} ${keep === 'last' ? 'DESC' : 'ASC'}) = 1 ORDER BY ${ident(ROW_ID)}`;
  const out = await writeTable(ctx, sql, { recipe: t.recipe });
  ctx.log(`Removed ${t.rowCount - out.rowCount} duplicate row(s) of ${t.rowCount}.`);
  return out;
}

/** Stack tables by column name (missing columns become empty); new ROW_IDs and an empty recipe. */
export async function unionTables(ctx: RunContext, tables: TableRef[], distinct: boolean): Promise<TableRef> {
  if (!tables.length) throw ctx.error({ code: 'MISSING_INPUT', message: 'Union needs at least one input table.' });
  if (tables.some((t) => t.recipe.steps.length)) ctx.log('Feature steps before a union are applied as fixed values: the union starts a new recipe.');
  const parts = tables.map((t) => `SELECT * EXCLUDE (${ident(ROW_ID)}) FROM ${relation(t)}`);
  const sql = parts.join(distinct ? ' UNION BY NAME ' : ' UNION ALL BY NAME ');
  try {
    return await writeTable(ctx, distinct ? `SELECT * FROM (${sql}) ORDER BY ALL` : sql, { newRowIds: true });
  } catch (e) {
    throw withNode(ctx, fromDuckdb(e, { what: 'the union' }));
  }
}

export type JoinKind = 'inner' | 'left' | 'right' | 'full';

/**
 * Join on key columns (same names on both sides, or pairs left=right). Left rows keep their
 * ROW_ID and the left recipe; right-only rows (right/full joins) get ids after the left's largest.
 * Right columns that clash with left names get a suffix.
 */
export async function joinTables(ctx: RunContext, left: TableRef, right: TableRef, opts: { kind: JoinKind; leftKeys: string[]; rightKeys: string[]; suffix: string }): Promise<TableRef> {
  const { kind, leftKeys, rightKeys } = opts;
  if (!leftKeys.length) throw ctx.error({ code: 'INVALID_PARAM', message: 'Choose at least one key column to join on.' });
  if (leftKeys.length !== rightKeys.length) throw ctx.error({ code: 'INVALID_PARAM', message: `${leftKeys.length} left key(s) but ${rightKeys.length} right key(s): they pair up one to one.` });
  requireColumns(ctx, left, leftKeys, 'Join (left table)');
  requireColumns(ctx, right, rightKeys, 'Join (right table)');
  const steps = left.recipe.steps;
  if (steps.length && (kind === 'right' || kind === 'full')) {
    throw ctx.error({ code: 'INVALID_PARAM', message: `A ${kind} join adds rows the left table's feature steps never saw.`, hint: 'Join before the feature steps, or use an inner or left join.' });
  }
  const stepMade = new Set(steps.flatMap((s) => s.outputs));
  const madeKey = leftKeys.find((k) => stepMade.has(k));
  if (madeKey) throw ctx.error({ code: 'INVALID_PARAM', column: madeKey, message: `Key "${madeKey}" is made by a feature step, so the join cannot be replayed when a model is trained.`, hint: 'Join on raw columns, or join before the feature steps.' });

  const leftNames = new Set(names(left));
  const rightCols = names(right).filter((c) => !(rightKeys.includes(c) && leftKeys[rightKeys.indexOf(c)] === c));
  const rightAlias = (c: string) => (leftNames.has(c) ? `${c}${opts.suffix}` : c);
  const on = leftKeys.map((k, i) => `l.${ident(k)} IS NOT DISTINCT FROM r.${ident(rightKeys[i])}`).join(' AND ');
  // Keys with the same name on both sides appear once (coalesced for right/full joins).
  const leftSelect = names(left).map((c) => {
    const i = leftKeys.indexOf(c);
    if (i >= 0 && rightKeys[i] === c && (kind === 'right' || kind === 'full')) return `coalesce(l.${ident(c)}, r.${ident(c)}) AS ${ident(c)}`;
    return `l.${ident(c)}`;
  });
  const rightSelect = rightCols.map((c) => `r.${ident(c)} AS ${ident(rightAlias(c))}`);
  const maxId = `(SELECT coalesce(max(${ident(ROW_ID)}), -1) FROM ${relation(left)})`;
  const rowId = kind === 'right' || kind === 'full'
    ? `coalesce(l.${ident(ROW_ID)}, ${maxId} + 1 + row_number() OVER (PARTITION BY l.${ident(ROW_ID)} IS NULL ORDER BY r.${ident(ROW_ID)}) - 1) AS ${ident(ROW_ID)}`
    : `l.${ident(ROW_ID)}`;
  const joinSql = (l: string) => `SELECT ${rowId}, ${[...leftSelect, ...rightSelect].join(', ')} FROM ${l} l ${kind.toUpperCase()} JOIN ${relation(right)} r ON ${on} ORDER BY ${ident(ROW_ID)}, r.${ident(ROW_ID)}`;
  try {
    let recipe: Recipe = left.recipe;
    if (steps.length && left.recipe.base) {
      // Replaying the recipe starts from its base: join the right columns onto the base too.
      const base = left.recipe.base;
      const baseNames = new Set(base.columns.map((c) => c.name));
      const missingKey = leftKeys.find((k) => !baseNames.has(k));
      if (missingKey) throw ctx.error({ code: 'INVALID_PARAM', column: missingKey, message: `Key "${missingKey}" is not a raw column of the table the feature steps started from.`, hint: 'Join before the feature steps.' });
      const basePath = join(ctx.outDir, 'recipe-base.parquet');
      const baseSelect = base.columns.map((c) => `l.${ident(c.name)}`);
      const clash = rightCols.find((c) => baseNames.has(rightAlias(c)));
      if (clash) throw ctx.error({ code: 'INVALID_PARAM', column: clash, message: `Right column "${clash}" would clash with a column of the feature steps' input.`, hint: 'Join before the feature steps, or change the suffix.' });
      await withConnection((con) =>
        copyToParquet(con, `SELECT l.${ident(ROW_ID)}, ${[...baseSelect, ...rightSelect].join(', ')} FROM ${relation(base)} l ${kind.toUpperCase()} JOIN ${relation(right)} r ON ${on} ORDER BY l.${ident(ROW_ID)}, r.${ident(ROW_ID)}`, basePath),
      );
      recipe = { base: { path: basePath, columns: await fileSchema(basePath) }, steps };
    }
    const out = await writeTable(ctx, joinSql(relation(left)), { recipe });
    if ((kind === 'inner' || kind === 'left') && out.rowCount > left.rowCount) {
      ctx.log(`Some left rows matched several right rows: ${out.rowCount} rows out of ${left.rowCount}; the copies share their row id.`);
    }
    return out;
  } catch (e) {
    throw withNode(ctx, fromDuckdb(e, { what: 'the join' }));
  }
}

/**
 * A DuckDB query over the input tables, visible as input1, input2, … (and `input` for the first).
 * The result is a new table: new ROW_IDs, empty recipe.
 */
export async function runSql(ctx: RunContext, tables: TableRef[], query: string): Promise<TableRef> {
  const sql = query.trim().replace(/;\s*$/, '');
  if (!sql) throw ctx.error({ code: 'SQL_ERROR', message: 'The SQL query is empty.', hint: 'Write a SELECT over input1, e.g. SELECT * FROM input1 LIMIT 100' });
  return withConnection(async (con) => {
    try {
      const statements = await con.extractStatements(sql);
      if (statements.count !== 1) throw ctx.error({ code: 'SQL_ERROR', message: `The SQL node runs one query; this text has ${statements.count} statements.`, hint: 'Keep a single SELECT (use WITH … for intermediate steps).' });
      await declareInputs(con, tables, ctx.inputSources?.tables ?? []);
      const head = sql.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*/, '').slice(0, 10).toUpperCase();
      if (!/^(SELECT|WITH|FROM|VALUES|\(|PIVOT|UNPIVOT|TABLE)/.test(head)) {
        throw ctx.error({ code: 'SQL_ERROR', message: 'The SQL node runs a query that returns rows (SELECT, WITH, FROM, VALUES…), not a command.', hint: 'Write a SELECT over input1.' });
      }
      if (tables.some((t) => t.recipe.steps.length)) ctx.log('Feature steps before SQL are applied as fixed values: the query result starts a new recipe.');
      return await writeTableOn(con, ctx, sql, { newRowIds: true });
    } catch (e) {
      ctx.throwIfCancelled();
      throw withNode(ctx, fromDuckdb(e, { what: 'the SQL query', codeForUserText: 'SQL_ERROR' }));
    }
  }, ctx.signal);
}

/**
 * Each input table as a view: `input1`, `input2`, … in connection order (`input` is the first), and
 * under its upstream node's id (`FROM load_sales`), unless that name is taken by an earlier one.
 */
async function declareInputs(con: DuckDBConnection, tables: TableRef[], sources: readonly string[]): Promise<void> {
  const taken = new Set(['input', ...tables.map((_, i) => `input${i + 1}`)].map((n) => n.toLowerCase()));
  for (let i = 0; i < tables.length; i++) {
    const view = `SELECT * EXCLUDE (${ident(ROW_ID)}) FROM ${relation(tables[i])} ORDER BY ${ident(ROW_ID)}`;
    const names = [`input${i + 1}`, ...(i === 0 ? ['input'] : [])];
    const source = sources[i];
    if (source && !taken.has(source.toLowerCase())) {
      taken.add(source.toLowerCase());
      names.push(source);
    }
    for (const name of names) await con.run(`CREATE TEMP VIEW ${ident(name)} AS ${view}`);
  }
}

