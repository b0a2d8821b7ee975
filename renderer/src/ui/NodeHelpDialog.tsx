import type { CatalogNode } from '../../../core/host/api.ts';
import { useDocStore } from '../store/use-doc-store.ts';
import { useUiStore } from '../store/use-ui-store.ts';
import { kindOf, paramEntries, type JsonSchema } from '../lib/params.ts';
import { CATEGORY_COLOR } from '../lib/colors.ts';
import { Modal } from './Modal.tsx';

/** A node type's longer help: what it is for, an example, its ports and every parameter. */
export function NodeHelpDialog({ type }: { type: string }) {
  const spec = useDocStore((s) => s.catalog.get(type));
  const close = () => useUiStore.getState().openDialog(null);
  if (!spec) return null;
  return (
    <Modal title={`${spec.title} — help`} onClose={close} testId="node-help" wide>
      <p className="muted" style={{ borderLeft: `4px solid ${CATEGORY_COLOR[spec.category]}`, paddingLeft: 8 }}>
        {spec.category} · <code>{spec.type}</code>
      </p>
      <p className="node-help__lead">{spec.description}</p>
      {spec.help?.text.split(/\n\s*\n/).map((para, i) => <p key={i}>{para}</p>)}
      {spec.help && (
        <div className="node-help__example" data-testid="node-help-example">
          <strong>Example</strong>
          <p>{spec.help.example}</p>
        </div>
      )}
      <Ports spec={spec} />
      <Params spec={spec} />
    </Modal>
  );
}

function Ports({ spec }: { spec: CatalogNode }) {
  if (!spec.inputs.length && !spec.outputs.length) return null;
  return (
    <div className="node-help__ports">
      {spec.inputs.length > 0 && (
        <div>
          <h3>Inputs</h3>
          <ul>{spec.inputs.map((p) => <li key={p.name}>{p.label} <span className="muted">({p.type}{p.multiple ? ', several' : ''}{p.required ? '' : ', optional'})</span></li>)}</ul>
        </div>
      )}
      {spec.outputs.length > 0 && (
        <div>
          <h3>Outputs</h3>
          <ul>{spec.outputs.map((p) => <li key={p.name}>{p.label} <span className="muted">({p.type})</span></li>)}</ul>
        </div>
      )}
    </div>
  );
}

function describeType(s: JsonSchema): string {
  const kind = kindOf(s);
  if (kind === 'enum') return (s.enum ?? []).map((v) => (v === '\t' ? 'tab' : String(v))).join(' · ');
  const range = [s.minimum !== undefined ? `≥ ${s.minimum}` : '', s.maximum !== undefined ? `≤ ${s.maximum}` : ''].filter(Boolean).join(', ');
  const base = kind === 'enum-array' ? `any of ${(s.items?.enum ?? []).join(', ')}` : kind === 'string-array' ? 'list of text' : kind;
  return range ? `${base} (${range})` : base;
}

function Params({ spec }: { spec: CatalogNode }) {
  const params = paramEntries(spec);
  if (!params.length) return <p className="muted">No parameters.</p>;
  return (
    <div>
      <h3>Parameters</h3>
      <table className="node-help__params">
        <thead>
          <tr><th>Name</th><th>Type</th><th>Default</th><th>What it does</th></tr>
        </thead>
        <tbody>
          {params.map(([name, schema]) => (
            <tr key={name}>
              <td><code>{name}</code></td>
              <td>{describeType(schema)}</td>
              <td>{schema.default === undefined ? '—' : <code>{JSON.stringify(schema.default)}</code>}</td>
              <td>{schema.description ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
