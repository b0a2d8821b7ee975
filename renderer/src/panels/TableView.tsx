import type { ReactNode } from 'react';
import type { ResultTable } from '../../../core/spec/values.ts';
import { columnFormat, formatCell } from '../lib/format.ts';

/** A result table; `rowAction` adds a last cell per row (e.g. a link to explain the row). */
export function TableView({ table, rowAction }: { table: ResultTable; rowAction?: (row: ResultTable['rows'][number]) => ReactNode }) {
  // One format per column (counts, or metrics with four decimals), dates as dates.
  const formats = table.columns.map((_, j) => columnFormat(table.rows.map((r) => r[j])));
  return (
    <div className="result-table" data-testid={`result-table-${table.id}`}>
      <h4>{table.title}</h4>
      <table>
        <thead>
          <tr>{table.columns.map((c) => <th key={c}>{c}</th>)}{rowAction && <th />}</tr>
        </thead>
        <tbody>
          {table.rows.map((r, i) => (
            <tr key={i}>
              {r.map((v, j) => <td key={j} className={typeof v === 'number' ? 'num' : undefined}>{formatCell(v, formats[j])}</td>)}
              {rowAction && <td>{rowAction(r)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
