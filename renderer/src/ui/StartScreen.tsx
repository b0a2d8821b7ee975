import { useEffect, useState } from 'react';
import type { RecentFile, RecoveredWork } from '../../../core/host/api.ts';
import { api } from '../api/host.ts';
import { askOpen, AUTOSAVE_KEY, loadRecovered, newPipeline, openPath } from '../store/files.ts';
import { TemplateGrid } from './TemplateGrid.tsx';

const fileName = (path: string) => path.split(/[\\/]/).pop() ?? path;

/** Recent files, the example gallery, recovery of unsaved work, and "New empty pipeline". */
export function StartScreen() {
  const [recent, setRecent] = useState<RecentFile[]>([]);
  const [recovered, setRecovered] = useState<RecoveredWork | null>(null);
  useEffect(() => {
    void api().recentFiles().then(setRecent, () => undefined);
    void api().recoverWork(AUTOSAVE_KEY).then(setRecovered, () => undefined);
  }, []);
  return (
    <main className="start" data-testid="start-screen">
      <div className="start__inner">
        <h1>Build a pipeline</h1>
        {recovered && (
          <div className="recover" role="alert" data-testid="recover-banner">
            <span>
              Unsaved work from last time was kept: <strong>{recovered.pipeline.name}</strong> ({recovered.pipeline.nodes.length} nodes
              {recovered.path ? <>, changes to <code>{fileName(recovered.path)}</code></> : recovered.origin ? <>, a copy of the example <code>{fileName(recovered.origin)}</code></> : null}).
            </span>
            <button className="button button--primary" onClick={() => void loadRecovered(recovered)} data-testid="recover-open">Recover it</button>
            <button
              className="button"
              onClick={() => {
                setRecovered(null);
                void api().autosave(AUTOSAVE_KEY, null);
              }}
            >
              Discard
            </button>
          </div>
        )}
        <div className="row">
          <button className="button button--primary" onClick={() => void newPipeline()} data-testid="start-new">New empty pipeline</button>
          <button className="button" onClick={() => void askOpen()} data-testid="start-open">Open a file…</button>
        </div>
        <section>
          <h2>Examples</h2>
          <TemplateGrid />
        </section>
        <section>
          <h2>Recent</h2>
          {recent.length ? (
            <ul className="recent">
              {recent.map((r) => (
                <li key={r.path}>
                  <button className="link-button" onClick={() => void openPath(r.path)} data-testid="recent-file">{r.name}</button>
                  <span className="muted"> {r.path}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">Pipelines you open or save will be listed here.</p>
          )}
        </section>
      </div>
    </main>
  );
}
