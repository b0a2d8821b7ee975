import { useUiStore } from '../store/use-ui-store.ts';
import { PanelBoundary } from '../ui/PanelBoundary.tsx';
import { bottomTabs, type BottomTabSpec } from './bottom-tabs.ts';

export function BottomPanel() {
  const active = useUiStore((s) => s.bottomTab);
  const tabs = bottomTabs();
  const current = tabs.find((t) => t.id === active) ?? tabs[0];
  const Body = current.component;
  return (
    <section className="dock" aria-label="Output panel">
      <div className="tabs" role="tablist">
        {tabs.map((t, i) => <TabButton key={t.id} tab={t} index={i} active={t.id === current.id} />)}
      </div>
      <div className="dock__body" id="bottom-panel" role="tabpanel" aria-labelledby={`tab-${current.id}`}>
        {/* Keyed by tab: a panel that failed gets a fresh boundary when the user comes back to it. */}
        <PanelBoundary key={current.id} name={`tab:${current.id}`} label={current.label}>
          <Body />
        </PanelBoundary>
      </div>
    </section>
  );
}

function TabButton({ tab, index, active }: { tab: BottomTabSpec; index: number; active: boolean }) {
  const badge = (tab.useBadge ?? noBadge)();
  return (
    <button
      role="tab"
      id={`tab-${tab.id}`}
      aria-selected={active}
      aria-controls="bottom-panel"
      className={`tabs__tab${active ? ' is-active' : ''}`}
      onClick={() => useUiStore.getState().setBottomTab(tab.id)}
      title={index < 9 ? `${tab.label} (Alt+${index + 1})` : tab.label}
      data-testid={`tab-${tab.id}`}
    >
      {tab.label}
      {badge > 0 && <span className="badge">{badge}</span>}
    </button>
  );
}

const noBadge = () => 0;
