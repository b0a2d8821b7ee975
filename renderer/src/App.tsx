import { lazy, Suspense, useEffect } from 'react';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { useUiStore } from './store/use-ui-store.ts';
import { TopBar } from './ui/TopBar.tsx';
import { Palette } from './ui/Palette.tsx';
import { FlowCanvas } from './canvas/FlowCanvas.tsx';
import { Inspector } from './inspector/Inspector.tsx';
import { BottomPanel } from './panels/BottomPanel.tsx';
import { StartScreen } from './ui/StartScreen.tsx';
import { Dialogs } from './ui/Dialogs.tsx';
import { Toasts } from './ui/Toasts.tsx';
import { installShortcuts } from './ui/shortcuts.ts';

const JsonView = lazy(() => import('./editors/JsonView.tsx'));

export function App() {
  return (
    <ReactFlowProvider>
      <Shell />
    </ReactFlowProvider>
  );
}

function Shell() {
  const screen = useUiStore((s) => s.screen);
  const view = useUiStore((s) => s.view);
  const theme = useUiStore((s) => s.theme);
  const flow = useReactFlow();
  useEffect(() => installShortcuts(() => flow), [flow]);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  return (
    <div className="app">
      <TopBar />
      {screen === 'start' ? (
        <StartScreen />
      ) : (
        <div className="workspace">
          <Palette />
          <div className="centre">
            {view === 'json' ? (
              <Suspense fallback={<p className="panel-empty">Loading the editor…</p>}>
                <JsonView />
              </Suspense>
            ) : (
              <FlowCanvas />
            )}
            <BottomPanel />
          </div>
          <Inspector />
        </div>
      )}
      <Dialogs />
      <Toasts />
    </div>
  );
}
