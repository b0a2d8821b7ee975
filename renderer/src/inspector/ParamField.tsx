import { lazy, Suspense, useEffect, useState } from 'react';
import type { ParamUi } from '../../../core/spec/define-node.ts';
import { checkValue, kindOf, type JsonSchema } from '../lib/params.ts';
import { setParam } from '../store/commands.ts';
import { ColumnPicker } from './ColumnPicker.tsx';
import { FileField } from './FileField.tsx';
import { useUpstreamColumns } from './upstream.ts';
import { useDocStore } from '../store/use-doc-store.ts';

const CodeEditor = lazy(() => import('../editors/CodeEditor.tsx'));

export interface FieldProps {
  nodeId: string;
  name: string;
  schema: JsonSchema;
  ui: ParamUi | undefined;
  value: unknown;
  required: boolean;
  /** Message from the host's validation for this param. */
  hostProblem?: string;
}

/** One inspector field, chosen from the JSON Schema and the ui hint. */
export function ParamField(props: FieldProps) {
  const { nodeId, name, schema, ui, value, required, hostProblem } = props;
  const id = `param-${name}`;
  const label = (
    <label className="field__label" htmlFor={`${id}-input`}>
      {name.replace(/_/g, ' ')}
      {required && <span className="field__required" aria-label="required">*</span>}
    </label>
  );
  const commit = (v: unknown) => setParam(nodeId, name, v);
  const completions = useSqlWords(nodeId, ui?.widget === 'code' && ui.language === 'sql');
  const body = (() => {
    if (ui?.widget === 'column' || ui?.widget === 'columns') {
      return <ColumnPicker id={`${id}-input`} nodeId={nodeId} ui={ui} multiple={ui.widget === 'columns'} value={value} onChange={commit} />;
    }
    if (ui?.widget === 'file') return <FileField id={`${id}-input`} value={typeof value === 'string' ? value : ''} ui={ui} onChange={commit} />;
    if (ui?.widget === 'textarea') return <TextAreaInput id={`${id}-input`} value={typeof value === 'string' ? value : String(schema.default ?? '')} onCommit={commit} />;
    if (ui?.widget === 'code' || ui?.widget === 'json' || kindOf(schema) === 'json') {
      const json = ui?.widget !== 'code';
      const text = json ? JSON.stringify(value ?? schema.default ?? null, null, 2) : String(value ?? '');
      const language = json ? 'json' : ui?.language === 'sql' ? 'sql' : 'javascript';
      return (
        <Suspense fallback={<textarea className="input code-fallback" readOnly value={text} />}>
          <CodeEditor
            id={`${id}-input`}
            language={language}
            completions={completions}
            value={text}
            height={json ? 120 : 180}
            onCommit={(t) => {
              if (!json) return t !== value && commit(t);
              try {
                const parsed: unknown = JSON.parse(t);
                if (JSON.stringify(parsed) !== JSON.stringify(value)) commit(parsed);
                return null;
              } catch (e) {
                return `Not valid JSON: ${(e as Error).message}`;
              }
            }}
          />
        </Suspense>
      );
    }
    return <ScalarInput {...props} inputId={`${id}-input`} onCommit={commit} />;
  })();
  return (
    <div className="field" data-testid={id}>
      {label}
      {body}
      {schema.description && <p className="field__help">{schema.description}</p>}
      {hostProblem && <p className="field__error" role="alert">{hostProblem}</p>}
    </div>
  );
}

/** input1, input2…, the upstream node ids and the columns reaching the node, for SQL completion. */
function useSqlWords(nodeId: string, enabled: boolean): string[] | undefined {
  const spec = useDocStore((s) => s.catalog.get(s.pipeline.nodes.find((n) => n.id === nodeId)?.type ?? ''));
  const port = spec?.inputs.find((p) => p.type === 'table')?.name ?? 'table';
  // A joined string, so the selector's result compares equal while the edges stay the same.
  const sources = useDocStore((s) => s.pipeline.edges.filter((e) => e.to === `${nodeId}.${port}`).map((e) => e.from.split('.')[0]).join('\n'));
  const columns = useUpstreamColumns(nodeId, port);
  if (!enabled) return undefined;
  const upstream = sources ? sources.split('\n') : [];
  return [...Array.from({ length: Math.max(upstream.length, 1) }, (_, i) => `input${i + 1}`), ...new Set(upstream), ...(columns ?? []).map((c) => c.name)];
}

export function ScalarInput({ schema, value, required, inputId, onCommit }: FieldProps & { inputId: string; onCommit: (v: unknown) => void }) {
  const kind = kindOf(schema);
  const shown = value ?? schema.default;
  const initial = shown === undefined || shown === null ? '' : String(shown);
  const [draft, setDraft] = useState(initial);
  useEffect(() => setDraft(initial), [initial]);

  if (kind === 'boolean') {
    return <input id={inputId} type="checkbox" className="checkbox" checked={Boolean(shown)} onChange={(e) => onCommit(e.target.checked)} />;
  }
  if (kind === 'enum') {
    return (
      <select id={inputId} className="input" value={shown === undefined ? '' : String(shown)} onChange={(e) => onCommit(schema.enum!.find((v) => String(v) === e.target.value))}>
        {!required && shown === undefined && <option value="">—</option>}
        {schema.enum!.map((v) => (
          <option key={String(v)} value={String(v)}>{v === '\t' ? 'tab' : String(v)}</option>
        ))}
      </select>
    );
  }
  if (kind === 'enum-array') {
    const chosen = Array.isArray(shown) ? (shown as unknown[]) : [];
    return (
      <div id={inputId} className="checklist" role="group">
        {schema.items!.enum!.map((v) => (
          <label key={String(v)} className="checklist__item">
            <input type="checkbox" checked={chosen.includes(v)} onChange={(e) => onCommit(e.target.checked ? [...chosen, v] : chosen.filter((c) => c !== v))} />
            {String(v)}
          </label>
        ))}
      </div>
    );
  }
  const numeric = kind === 'number' || kind === 'integer';
  const parsed: unknown = numeric ? (draft.trim() === '' ? undefined : Number(draft)) : kind === 'string-array' ? splitList(draft) : draft;
  const problem = checkValue(schema, parsed, required);
  const commit = () => {
    // Leaving a field untouched is no edit (a default shown must not be written into the file).
    if (draft === initial) return;
    if (problem && !(parsed === undefined && !required)) return;
    const same = JSON.stringify(parsed) === JSON.stringify(value);
    if (!same) onCommit(parsed);
  };
  return (
    <>
      <input
        id={inputId}
        className={`input${problem ? ' input--invalid' : ''}`}
        type={numeric ? 'number' : 'text'}
        inputMode={numeric ? 'decimal' : undefined}
        step={kind === 'integer' ? 1 : 'any'}
        min={schema.minimum}
        max={schema.maximum}
        value={kind === 'string-array' && Array.isArray(shown) && draft === String(shown) ? (shown as string[]).join(', ') : draft}
        placeholder={kind === 'string-array' ? 'comma, separated' : undefined}
        aria-invalid={!!problem}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
      />
      {problem && <p className="field__error" role="alert" data-testid={`param-error-${inputId}`}>{problem}</p>}
    </>
  );
}

function splitList(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter(Boolean);
}

/** Free text over several lines (a model card's intended use): committed on leaving the field, one undo step per edit. */
function TextAreaInput({ id, value, onCommit }: { id: string; value: string; onCommit: (v: string) => void }) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  return <textarea id={id} className="input field__textarea" rows={4} value={draft} onChange={(e) => setDraft(e.target.value)} onBlur={() => draft !== value && onCommit(draft)} />;
}
