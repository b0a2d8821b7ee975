import { useEffect, useState } from 'react';
import type { Pipeline } from '../../../core/schema/pipeline.ts';
import type { RecentFile, TemplateInfo } from '../../../core/host/api.ts';
import { api } from '../api/host.ts';
import { AUTOSAVE_KEY, loadRecovered, newPipeline, openPath } from '../store/actions.ts';
import { useUiStore } from '../store/use-ui-store.ts';

/** Recent files, the example gallery, recovery of unsaved work, and "New empty pipeline". */
export function StartScreen() {
  const [recent, setRecent] = useState<RecentFile[]>([]);
  const [templates, setTemplates] = useState<TemplateInfo[]>([]);
  const [recovered, setRecovered] = useState<Pipeline | null>(null);
  useEffect(() => {
    void api().recentFiles().then(setRecent, () => undefined);
    void api().listTemplates().then(setTemplates, () => undefined);
    void api().recoverAutosave(AUTOSAVE_KEY).then(setRecovered, () => undefined);
  }, []);
  return (
    <main className="start" data-testid="start-screen">
      <div className="start__inner">
        <h1>Build a pipeline</h1>
        {recovered && (
          <div className="recover" role="alert" data-testid="recover-banner">
            <span>Unsaved work from last time was kept: <strong>{recovered.name}</strong> ({recovered.nodes.length} nodes).</span>
            <button className="button button--primary" onClick={() => loadRecovered(recovered)} data-testid="recover-open">Recover it</button>
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
          <button className="button button--primary" onClick={newPipeline} data-testid="start-new">New empty pipeline</button>
          <button className="button" onClick={() => useUiStore.getState().openDialog({ kind: 'open' })} data-testid="start-open">Open a file…</button>
        </div>
        <section>
          <h2>Examples</h2>
          <div className="template-grid">
            {templates.map((t) => (
              <button key={t.id} className="template-card" onClick={() => void openPath(t.path, true)} data-testid={`template-${t.id}`}>
                <strong>{t.name}</strong>
                <span>{t.description}</span>
                <span className="template-card__tags">{t.tags.map((tag) => <span key={tag} className="tag">{tag}</span>)}</span>
              </button>
            ))}
            {!templates.length && <p className="muted">No examples found.</p>}
          </div>
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
