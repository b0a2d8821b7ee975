import { useUiStore, type BottomTab } from '../store/use-ui-store.ts';
import { useRunStore } from '../store/use-run-store.ts';
import { PreviewTab } from './PreviewTab.tsx';
import { ResultsTab } from './ResultsTab.tsx';
import { LogTab } from './LogTab.tsx';
import { RunsTab } from './RunsTab.tsx';

const TABS: { id: BottomTab; label: string }[] = [
  { id: 'preview', label: 'Preview' },
  { id: 'results', label: 'Results' },
  { id: 'log', label: 'Log' },
  { id: 'runs', label: 'Runs' },
];

export function BottomPanel() {
  const tab = useUiStore((s) => s.bottomTab);
  const errors = useRunStore((s) => s.logs.filter((l) => l.level === 'error').length);
  return (
    <section className="dock" aria-label="Output panel">
      <div className="tabs" role="tablist">
        {TABS.map((t, i) => (
          <button
            key={t.id}
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls="bottom-panel"
            className={`tabs__tab${tab === t.id ? ' is-active' : ''}`}
            onClick={() => useUiStore.getState().setBottomTab(t.id)}
            title={`${t.label} (Alt+${i + 1})`}
            data-testid={`tab-${t.id}`}
          >
            {t.label}
            {t.id === 'log' && errors > 0 && <span className="badge">{errors}</span>}
          </button>
        ))}
      </div>
      <div className="dock__body" id="bottom-panel" role="tabpanel" aria-labelledby={`tab-${tab}`}>
        {tab === 'preview' && <PreviewTab />}
        {tab === 'results' && <ResultsTab />}
        {tab === 'log' && <LogTab />}
        {tab === 'runs' && <RunsTab />}
      </div>
    </section>
  );
}
