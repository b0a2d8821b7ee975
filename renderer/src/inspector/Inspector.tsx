import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { CatalogNode } from '../../../core/host/api.ts';
import type { PipelineNode } from '../../../core/schema/pipeline.ts';
import { splitEndpoint } from '../../../core/schema/pipeline.ts';
import { useDocStore } from '../store/use-doc-store.ts';
import { useRunStore } from '../store/use-run-store.ts';
import { useUiStore } from '../store/use-ui-store.ts';
import { connect, disconnectInput, groupSelection, renameNode, setNodeTitle, removeElements } from '../store/commands.ts';
import { isRequired, paramEntries } from '../lib/params.ts';
import { CATEGORY_COLOR } from '../lib/colors.ts';
import { statusText } from '../canvas/StatusStrip.tsx';
import { ParamField } from './ParamField.tsx';
import { LearnerFields } from './LearnerFields.tsx';
import { learnerVariants } from '../lib/learners.ts';
import { PipelineSettings } from './PipelineSettings.tsx';
import { StaleNote } from '../panels/StaleNote.tsx';
import { openExportDialog, producesModel } from '../export/export-actions.ts';

export function Inspector() {
  const { selection, node } = useDocStore(
    useShallow((s) => ({ selection: s.selection, node: s.selection.length === 1 ? s.pipeline.nodes.find((n) => n.id === s.selection[0]) : undefined })),
  );
  const spec = useDocStore((s) => (node ? s.catalog.get(node.type) : undefined));
  return (
    <aside className="inspector" aria-label="Inspector" data-testid="inspector">
      {node ? (
        <NodeInspector key={node.id} node={node} spec={spec} />
      ) : selection.length > 1 ? (
        <div className="inspector__section">
          <h2 className="inspector__title">{selection.length} nodes selected</h2>
          <div className="row">
            <button className="button" onClick={() => groupSelection()} data-testid="btn-group">Group (Ctrl+G)</button>
            <button className="button" onClick={() => removeElements(selection)}>Delete</button>
          </div>
        </div>
      ) : (
        <PipelineSettings />
      )}
    </aside>
  );
}

function NodeInspector({ node, spec }: { node: PipelineNode; spec: CatalogNode | undefined }) {
  const run = useRunStore((s) => s.nodes[node.id]);
  const diagnostics = useUiStore(useShallow((s) => s.diagnostics.filter((d) => d.nodeId === node.id)));
  const [idDraft, setIdDraft] = useState(node.id);
  const [idProblem, setIdProblem] = useState<string | null>(null);
  const [advanced, setAdvanced] = useState(false);
  const params = paramEntries(spec ?? ({ paramsSchema: {} } as CatalogNode));
  const basic = params.filter(([n]) => !spec?.paramsUi[n]?.advanced);
  const extra = params.filter(([n]) => spec?.paramsUi[n]?.advanced);
  const paramProblem = (name: string) => diagnostics.find((d) => d.path?.[0] === name)?.message;
  const nodeProblems = diagnostics.filter((d) => !d.path?.length);
  // Train, Cross-validate, Tune: the learner and its settings as one form (LearnerFields).
  const learnerForm = learnerVariants(spec).length > 0;

  return (
    <div className="inspector__scroll">
      <div className="inspector__section inspector__header" style={{ borderTopColor: spec ? CATEGORY_COLOR[spec.category] : undefined }}>
        <input
          className="inspector__title-input"
          aria-label="Node title"
          defaultValue={node.title ?? spec?.title ?? node.type}
          key={node.title}
          onBlur={(e) => {
            const t = e.target.value.trim();
            if (t !== (node.title ?? spec?.title)) setNodeTitle(node.id, t === spec?.title ? '' : t);
          }}
          onKeyDown={(e) => e.key === 'Enter' && (e.target as HTMLInputElement).blur()}
          data-testid="node-title"
        />
        <p className="muted">{spec ? `${spec.category} · ${spec.type} v${node.version}` : `Unknown node type ${node.type}`}</p>
        {spec && (
          <p className="inspector__desc">
            {spec.description}{' '}
            <button className="link-button" onClick={() => useUiStore.getState().openDialog({ kind: 'node-help', type: spec.type })} title="More about this node, with an example (F1)" data-testid="node-help-open">
              More help (F1)
            </button>
          </p>
        )}
        <div className="field" data-testid="node-id-field">
          <label className="field__label" htmlFor="node-id-input">id</label>
          <input
            id="node-id-input"
            className={`input${idProblem ? ' input--invalid' : ''}`}
            value={idDraft}
            onChange={(e) => setIdDraft(e.target.value)}
            onBlur={() => setIdProblem(renameNode(node.id, idDraft.trim()))}
            onKeyDown={(e) => e.key === 'Enter' && setIdProblem(renameNode(node.id, idDraft.trim()))}
            data-testid="node-id"
          />
          {idProblem ? <p className="field__error" role="alert">{idProblem}</p> : <p className="field__help">Used by <code>--set {node.id}.param=value</code> and <code>--to {node.id}</code>.</p>}
        </div>
      </div>

      <div className="inspector__section" data-testid="inspector-status">
        <div className={`status status--${run?.status ?? 'idle'} status--block`}>{statusText(run)}</div>
        {run?.reason && <p className="muted">Ran because: {run.reason}</p>}
        <StaleNote nodeId={node.id} />
        {run?.error && (
          <div className="error-box" role="alert" data-testid="node-error">
            <strong>{run.error.message}</strong>
            {run.error.hint && <p>{run.error.hint}</p>}
            {(run.error.file || run.error.line || run.error.column) && (
              <p className="muted">{[run.error.file, run.error.line && `line ${run.error.line}`, run.error.column && `column “${run.error.column}”`].filter(Boolean).join(' · ')}</p>
            )}
          </div>
        )}
        {run?.warnings?.length && (run.status === 'done' || run.status === 'cached') ? (
          <div className="warning-box" role="status" data-testid="node-warnings">
            {run.warnings.map((w, i) => (
              <p key={i}>{w}</p>
            ))}
          </div>
        ) : null}
        {nodeProblems.map((d, i) => (
          <p key={i} className={d.severity === 'error' ? 'field__error' : 'field__warning'}>{d.message}{d.hint ? ` ${d.hint}` : ''}</p>
        ))}
        {producesModel(spec) && (
          <button className="button" onClick={() => openExportDialog(node.id)} title="Export this model (its feature steps and learner): one verified ONNX file, or a Docker serving bundle" data-testid="inspector-export">
            Export…
          </button>
        )}
      </div>

      {spec && spec.inputs.length > 0 && <InputsSection node={node} spec={spec} />}

      <div className="inspector__section">
        <h3 className="inspector__subtitle">Parameters</h3>
        {!params.length && <p className="muted">This node has no parameters.</p>}
        {basic.map(([name, schema]) =>
          learnerForm && name === 'learner' ? (
            <LearnerFields key={name} node={node} spec={spec!} problems={diagnostics} />
          ) : learnerForm && name === 'learner_params' ? null : (
            <ParamField key={name} nodeId={node.id} name={name} schema={schema} ui={spec?.paramsUi[name]} value={node.params[name]} required={!!spec && isRequired(spec, name)} hostProblem={paramProblem(name)} />
          ),
        )}
        {extra.length > 0 && (
          <button className="link-button" onClick={() => setAdvanced((a) => !a)} aria-expanded={advanced}>{advanced ? 'Hide advanced' : `Advanced (${extra.length})`}</button>
        )}
        {advanced && extra.map(([name, schema]) => (
          <ParamField key={name} nodeId={node.id} name={name} schema={schema} ui={spec?.paramsUi[name]} value={node.params[name]} required={!!spec && isRequired(spec, name)} hostProblem={paramProblem(name)} />
        ))}
        {node.type === 'data.load_postgres' && (
          // The login goes to the host (keychain / session), the node keeps only its name.
          <button className="button" onClick={() => useUiStore.getState().openDialog({ kind: 'connections', nodeId: node.id })} data-testid="open-connections">Database connection…</button>
        )}
      </div>
    </div>
  );
}

/** Connect inputs from the keyboard: a list of compatible upstream outputs per input port. */
function InputsSection({ node, spec }: { node: PipelineNode; spec: CatalogNode }) {
  const { nodes, edges, catalog } = useDocStore(useShallow((s) => ({ nodes: s.pipeline.nodes, edges: s.pipeline.edges, catalog: s.catalog })));
  return (
    <div className="inspector__section">
      <h3 className="inspector__subtitle">Inputs</h3>
      {spec.inputs.map((port) => {
        const current = edges.filter((e) => e.to === `${node.id}.${port.name}`).map((e) => e.from);
        const options = nodes
          .filter((n) => n.id !== node.id)
          .flatMap((n) => (catalog.get(n.type)?.outputs ?? []).filter((o) => o.type === port.type).map((o) => `${n.id}.${o.name}`));
        return (
          <div className="field" key={port.name} data-testid={`input-${port.name}`}>
            <label className="field__label" htmlFor={`input-${port.name}-select`}>{port.label} <span className="muted">({port.type})</span></label>
            <select
              id={`input-${port.name}-select`}
              className="input"
              value={port.multiple ? '' : (current[0] ?? '')}
              onChange={(e) => {
                if (!e.target.value) return disconnectInput(node.id, port.name);
                const from = splitEndpoint(e.target.value);
                const problem = connect(from, { node: node.id, port: port.name });
                if (problem) useUiStore.getState().toast(problem, 'error');
              }}
            >
              <option value="">{port.multiple ? '+ add an input…' : port.required ? '— not connected —' : '— none (optional) —'}</option>
              {options.filter((o) => !port.multiple || !current.includes(o)).map((o) => <option key={o} value={o}>{o}</option>)}
            </select>
            {port.multiple && current.length > 0 && <p className="muted">{current.join(', ')}</p>}
          </div>
        );
      })}
    </div>
  );
}
