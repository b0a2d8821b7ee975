import { useShallow } from 'zustand/react/shallow';
import { useDocStore } from '../store/use-doc-store.ts';
import { useUiStore } from '../store/use-ui-store.ts';

/** With nothing selected: the pipeline's own settings and its problems. */
export function PipelineSettings() {
  const { name, description, seed, count } = useDocStore(
    useShallow((s) => ({ name: s.pipeline.name, description: s.pipeline.description, seed: s.pipeline.seed, count: s.pipeline.nodes.length })),
  );
  const diagnostics = useUiStore((s) => s.diagnostics);
  const edit = (label: string, patch: Record<string, unknown>) => useDocStore.getState().perform(label, (p) => ({ ...p, ...patch }));
  return (
    <div className="inspector__scroll">
      <div className="inspector__section">
        <h2 className="inspector__title">Pipeline</h2>
        <p className="muted">{count} node{count === 1 ? '' : 's'}. Select a node to edit its parameters.</p>
        <div className="field">
          <label className="field__label" htmlFor="pipeline-name">name</label>
          <input id="pipeline-name" className="input" defaultValue={name} key={name} onBlur={(e) => e.target.value !== name && edit('Rename pipeline', { name: e.target.value })} />
        </div>
        <div className="field">
          <label className="field__label" htmlFor="pipeline-description">description</label>
          <textarea id="pipeline-description" className="input" rows={3} defaultValue={description ?? ''} key={description} onBlur={(e) => e.target.value !== (description ?? '') && edit('Edit description', { description: e.target.value || undefined })} />
        </div>
        <div className="field" data-testid="param-seed">
          <label className="field__label" htmlFor="pipeline-seed">seed</label>
          <input
            id="pipeline-seed"
            className="input"
            type="number"
            step={1}
            defaultValue={seed}
            key={seed}
            onBlur={(e) => {
              const v = Number(e.target.value);
              if (Number.isInteger(v) && v !== seed) edit('Change seed', { seed: v });
            }}
          />
          <p className="field__help">Every node with randomness uses this seed unless its own seed is set, so reruns give the same numbers and renaming a node changes none.</p>
        </div>
      </div>
      {diagnostics.length > 0 && (
        <div className="inspector__section" data-testid="diagnostics">
          <h3 className="inspector__subtitle">Problems</h3>
          <ul className="problems">
            {diagnostics.map((d, i) => (
              <li key={i} className={d.severity === 'error' ? 'field__error' : 'field__warning'}>
                <button className="link-button" onClick={() => d.nodeId && useDocStore.getState().select([d.nodeId])}>{d.nodeId ?? 'pipeline'}</button>: {d.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
