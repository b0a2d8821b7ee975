import type { ParamUi } from '../../../core/spec/define-node.ts';
import { useUpstreamColumns } from './upstream.ts';

/** Column picker fed by the upstream table's schema, filtered by the hint's types. */
export function ColumnPicker({ id, nodeId, ui, multiple, value, onChange }: { id: string; nodeId: string; ui: ParamUi; multiple: boolean; value: unknown; onChange: (v: unknown) => void }) {
  const all = useUpstreamColumns(nodeId, ui.port ?? 'table');
  const columns = all?.filter((c) => !ui.types || ui.types.includes(c.type)) ?? null;
  if (!columns) {
    // Schema unknown yet (not connected, or not inferable before a run): a plain text box.
    const text = multiple ? (Array.isArray(value) ? value.join(', ') : '') : typeof value === 'string' ? value : '';
    return (
      <>
        <input
          id={id}
          className="input"
          defaultValue={text}
          key={text}
          placeholder={multiple ? 'column, column' : 'column name'}
          onBlur={(e) => {
            const v = multiple ? e.target.value.split(',').map((s) => s.trim()).filter(Boolean) : e.target.value.trim();
            if (JSON.stringify(v) !== JSON.stringify(value ?? (multiple ? [] : ''))) onChange(v);
          }}
        />
        <p className="field__help">{all === null ? 'Connect and run the upstream node to pick from its columns.' : ''}</p>
      </>
    );
  }
  if (!multiple) {
    const current = typeof value === 'string' ? value : '';
    const missing = current && !columns.some((c) => c.name === current);
    return (
      <>
        <select id={id} className={`input${missing ? ' input--invalid' : ''}`} value={current} onChange={(e) => onChange(e.target.value)} data-testid={`column-picker-${ui.port ?? 'table'}`}>
          <option value="">— choose a column —</option>
          {missing && <option value={current}>{current} (not in the input)</option>}
          {columns.map((c) => (
            <option key={c.name} value={c.name}>{c.name} · {c.type}</option>
          ))}
        </select>
        {missing && <p className="field__error" role="alert">Column “{current}” is not in the input table.</p>}
      </>
    );
  }
  const chosen = Array.isArray(value) ? (value as string[]) : [];
  return (
    <div id={id} className="checklist" role="group">
      <div className="checklist__actions">
        <button type="button" className="link-button" onClick={() => onChange(columns.map((c) => c.name))}>All</button>
        <button type="button" className="link-button" onClick={() => onChange([])}>None</button>
      </div>
      {columns.map((c) => (
        <label key={c.name} className="checklist__item">
          <input
            type="checkbox"
            checked={chosen.includes(c.name)}
            onChange={(e) => onChange(e.target.checked ? [...chosen, c.name] : chosen.filter((x) => x !== c.name))}
            data-testid={`column-option-${c.name}`}
          />
          {c.name} <span className="muted">{c.type}</span>
        </label>
      ))}
      {chosen.filter((n) => !columns.some((c) => c.name === n)).map((n) => (
        <p key={n} className="field__error">Column “{n}” is not in the input table.</p>
      ))}
    </div>
  );
}
