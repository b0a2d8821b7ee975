import type { ReactNode } from 'react';
import type { ResultTable } from '../../../core/spec/values.ts';

export const fmt = (v: number) => (Number.isInteger(v) ? String(v) : Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(4));

/** A result table; `rowAction` adds a last cell per row (e.g. a link to explain the row). */
export function TableView({ table, rowAction }: { table: ResultTable; rowAction?: (row: ResultTable['rows'][number]) => ReactNode }) {
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
              {r.map((v, j) => <td key={j} className={typeof v === 'number' ? 'num' : undefined}>{typeof v === 'number' ? fmt(v) : v === null ? '∅' : String(v)}</td>)}
              {rowAction && <td>{rowAction(r)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
