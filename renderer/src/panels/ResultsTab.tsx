import { useShallow } from 'zustand/react/shallow';
import { useDocStore } from '../store/use-doc-store.ts';
import { useRunStore } from '../store/use-run-store.ts';
import { resultPanelFor } from './result-panels.tsx';
import { StaleNote } from './StaleNote.tsx';
import { PanelBoundary } from '../ui/PanelBoundary.tsx';

/** Results of the selected node, or of every node that produced some when none is selected. */
export function ResultsTab() {
  const selected = useDocStore((s) => (s.selection.length === 1 ? s.selection[0] : null));
  const order = useDocStore(useShallow((s) => s.pipeline.nodes.map((n) => n.id)));
  const outputs = useRunStore((s) => s.outputs);
  const ids = (selected && outputs[selected] ? [selected] : order).filter((id) => outputs[id]);
  const sections = ids.flatMap((id) =>
    Object.entries(outputs[id])
      .filter(([, v]) => v.kind !== 'table' && resultPanelFor(v))
      .map(([port, value]) => ({ id, port, value })),
  );
  const primary = sections.filter((s) => s.value.kind !== 'model' || ids.length === 1);
  if (!primary.length) return <p className="panel-empty">No results yet. Metrics, charts and explanations appear here after a run.</p>;
  return (
    <div className="results" data-testid="results">
      {primary.map(({ id, port, value }, i) => {
        const Panel = resultPanelFor(value)!;
        return (
          <section key={`${id}.${port}`} className="results__section" data-testid={`results-${id}`}>
            <h3>
              <button className="link-button" onClick={() => useDocStore.getState().select([id])}>{id}</button> <span className="muted">· {port}</span>
            </h3>
            {/* Once per node: its outputs all come from the same run. */}
            {primary[i - 1]?.id !== id && <StaleNote nodeId={id} />}
            {/* One broken chart or explanation must not hide the other results. */}
            <PanelBoundary name={`result:${id}.${port}`} label={`The ${port} panel of ${id}`}>
              <Panel nodeId={id} port={port} value={value} />
            </PanelBoundary>
          </section>
        );
      })}
    </div>
  );
}
