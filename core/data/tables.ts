/**
 * Tables on DuckDB — how the other pieces use them.
 *
 * A table travels between nodes as a `TableRef`: an absolute Parquet path (visible columns plus the
 * hidden `__row` column, ROW_ID: stored, or for a `*.in-order.parquet` file the row's position in
 * it; `relation()` reads both alike), its column schema, row count and recipe. Nothing holds rows
 * in JS memory between nodes.
 *
 * - SQL over a table: `SELECT ... FROM ${relation(t)}`; quote names with `ident()`, values with
 *   `literal()`. Run it on your own connection: `withConnection(con => con.run(sql))`.
 * - Produce an output table from SQL: `writeTable(ctx, selectSql, { port, recipe, newRowIds })`.
 *   Row-preserving steps SELECT `__row` through and pass the input recipe; row-creating steps
 *   (sources, union, SQL, aggregate) pass `newRowIds: true` and get a new empty recipe.
 * - Numbers into JS: `readColumns(t, ['a', 'b'])` → Float64Array per numeric/boolean/date column
 *   (NaN = missing, dates as epoch ms), string arrays for text, rows in ascending `__row` order,
 *   plus `rowIds`. `{ rowIds }` restricts to those rows (e.g. training rows of a recipe base).
 * - Columns computed in JS back into a table: `writeColumns(ctx, base, { col: Float64Array })`,
 *   aligned with `readColumns(base, ...)`'s row order; same-named columns are replaced in place.
 * - Rows built in JS (a new table, new ROW_IDs): `writeJsTable(ctx, [{ name, data, type }])`.
 *   Rows picked by ROW_ID (keeping ROW_ID and recipe): `writeRowSubsets(ctx, t, { port: ids })`.
 * - Schema of any SELECT: `columnSchemas(con, selectSql)`; type mapping: `columnType(dbType)`.
 * - Pass `ctx.signal` to `withConnection(fn, signal)` so cancelling a run interrupts the query.
 *
 * Elsewhere in core/data: csv.ts / readers.ts / excel.ts / postgres.ts (sources), ops.ts (select,
 * rename, filter, dedupe, join, union, SQL), sampling.ts (sample, split; row-choice.ts chooses
 * their rows on a worker), profile.ts (pageOf, profileOf for the Preview tab), writers.ts (atomic
 * CSV / Parquet output), errors.ts (DuckDB errors in plain words).
 */
export { connection, ident, identList, literal, withConnection } from './engine.ts';
export * from './table-files.ts';
export * from './columns.ts';
