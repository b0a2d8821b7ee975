import { useShallow } from 'zustand/react/shallow';
import { useReactFlow } from '@xyflow/react';
import { useDocStore, isDirty } from '../store/use-doc-store.ts';
import { useRunStore } from '../store/use-run-store.ts';
import { useUiStore } from '../store/use-ui-store.ts';
import { cancelRun, run } from '../store/actions.ts';
import { askOpen, askSaveAs, newPipeline, save } from '../store/files.ts';
import { layoutAll, setPipelineName } from '../store/commands.ts';
import { openExportDialog, producesModel } from '../export/export-actions.ts';
import { askReport } from '../report/report-actions.ts';
import { Icon } from './Icon.tsx';
import { cardSize, fitAll } from '../canvas/fit.ts';

const fileName = (path: string | null) => (path ? path.split(/[\\/]/).pop() : null);

export function TopBar() {
  const { path, name, dirty, canUndo, canRedo, undoName, redoName, selected, selectedMakesModel } = useDocStore(
    useShallow((s) => ({
      path: s.path, name: s.pipeline.name, dirty: isDirty(s), canUndo: s.past.length > 0, canRedo: s.future.length > 0,
      undoName: s.past.at(-1)?.name, redoName: s.future[0]?.name, selected: s.selection.length === 1 ? s.selection[0] : null,
      selectedMakesModel: s.selection.length === 1 && producesModel(s.catalog.get(s.pipeline.nodes.find((n) => n.id === s.selection[0])?.type ?? '')),
    })),
  );
  const running = useRunStore((s) => s.currentRunId !== null);
  const { theme, view, editor } = useUiStore(useShallow((s) => ({ theme: s.theme, view: s.view, editor: s.screen === 'editor' })));
  const ui = useUiStore.getState();
  const flow = useReactFlow();
  const tidy = () => {
    void layoutAll(cardSize(flow)).then(() => requestAnimationFrame(() => fitAll(flow, { padding: 0.2, maxZoom: 1, duration: 200 })));
  };

  return (
    <header className="topbar" data-testid="topbar">
      <div className="topbar__brand">Flowline</div>
      {editor && (
        <div className="topbar__file" data-testid="file-name" title={path ?? 'Not saved yet'}>
          <input
            className="topbar__name"
            aria-label="Pipeline name"
            defaultValue={name}
            key={name}
            onBlur={(e) => e.target.value !== name && setPipelineName(e.target.value)}
            onKeyDown={(e) => e.key === 'Enter' && (e.target as HTMLInputElement).blur()}
          />
          <span className="muted">{fileName(path) ?? 'unsaved'}</span>
          {dirty && <span className="dirty-dot" data-testid="dirty-dot" title="Unsaved changes" aria-label="Unsaved changes" />}
        </div>
      )}
      <nav className="topbar__group" aria-label="File">
        <button className="button" onClick={() => void newPipeline()} title="New pipeline (Ctrl+Alt+N)" data-testid="btn-new">New</button>
        <button className="button" onClick={() => void askOpen()} title="Open (Ctrl+O)" data-testid="btn-open">Open</button>
        <button className="button" onClick={() => ui.openDialog({ kind: 'examples' })} title="Open an example pipeline" data-testid="btn-examples">Examples</button>
        <button className="button" onClick={() => void save()} disabled={!editor} title="Save (Ctrl+S)" data-testid="btn-save">Save</button>
        <button className="button" onClick={() => void askSaveAs()} disabled={!editor} title="Save as (Ctrl+Shift+S)" data-testid="btn-save-as">Save as</button>
      </nav>
      {editor && (
        <>
          <nav className="topbar__group" aria-label="Run">
            <button className="button button--primary" onClick={() => void run()} disabled={running} title="Run all (Ctrl+Enter)" data-testid="btn-run"><Icon name="play" size={12} /> Run</button>
            <button className="button" onClick={() => selected && void run(selected)} disabled={running || !selected} title="Run the selected node and what feeds it (Ctrl+Shift+Enter)" data-testid="btn-run-to">Run to selected</button>
            <button className="button" onClick={() => void cancelRun()} disabled={!running} title="Cancel the run (Escape)" data-testid="btn-cancel">Cancel</button>
          </nav>
          <nav className="topbar__group" aria-label="Export">
            <button
              className="button"
              onClick={() => selected && openExportDialog(selected)}
              disabled={running || !selectedMakesModel}
              title={selectedMakesModel ? 'Export the selected model: one verified ONNX file, or a Docker serving bundle' : 'Select a node that trains a model (Train, Tune) to export it'}
              data-testid="btn-export"
            >
              Export…
            </button>
            <button className="button" onClick={() => void askReport()} disabled={running} title="Write the last run's report: one self-contained HTML file (as flowline run --report)" data-testid="btn-report">
              Report…
            </button>
          </nav>
          <nav className="topbar__group" aria-label="Edit">
            <button className="button" onClick={() => useDocStore.getState().undo()} disabled={!canUndo} title={`Undo ${undoName ?? ''} (Ctrl+Z)`} data-testid="btn-undo">Undo</button>
            <button className="button" onClick={() => useDocStore.getState().redo()} disabled={!canRedo} title={`Redo ${redoName ?? ''} (Ctrl+Shift+Z)`} data-testid="btn-redo">Redo</button>
            <button className="button" onClick={tidy} title="Arrange nodes by their order (Ctrl+Shift+L)" data-testid="btn-layout">Tidy</button>
            <button className="button" onClick={() => ui.setView(view === 'json' ? 'canvas' : 'json')} title="Show the pipeline file as JSON (Ctrl+J)" data-testid="btn-json" aria-pressed={view === 'json'}>
              {view === 'json' ? 'Canvas' : 'JSON'}
            </button>
          </nav>
        </>
      )}
      <div className="topbar__spacer" />
      <button className="button" onClick={() => ui.setTheme(theme === 'dark' ? 'light' : 'dark')} title="Switch light/dark theme" data-testid="btn-theme" aria-label="Toggle theme">
        <Icon name={theme === 'dark' ? 'sun' : 'moon'} size={16} />
      </button>
      <button className="button" onClick={() => ui.openDialog({ kind: 'help' })} title="Keyboard shortcuts (?)" data-testid="btn-help" aria-label="Keyboard shortcuts"><Icon name="help" size={16} /></button>
    </header>
  );
}
