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
import { runStudioCommand } from './store/studio-commands.ts';
import { api } from './api/host.ts';
import { PanelBoundary } from './ui/PanelBoundary.tsx';
import { Splitter } from './ui/Splitter.tsx';

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
  const sizes = useUiStore((s) => s.panelSizes);
  const flow = useReactFlow();
  useEffect(() => installShortcuts(() => flow), [flow]);
  // The desktop shell's menus and double-clicked files run the same commands as the keys.
  useEffect(() => api().onCommand?.((command) => runStudioCommand(command, () => flow)), [flow]);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  return (
    <div className="app">
      <PanelBoundary name="topbar" label="The top bar">
        <TopBar />
      </PanelBoundary>
      {screen === 'start' ? (
        <PanelBoundary name="start" label="The start screen">
          <StartScreen />
        </PanelBoundary>
      ) : (
        <div
          className="workspace"
          style={{ ['--palette-size' as string]: `${sizes.palette}px`, ['--inspector-size' as string]: `${sizes.inspector}px`, ['--dock-size' as string]: `${sizes.dock}px` }}
        >
          <PanelBoundary name="palette" label="The palette">
            <Palette />
          </PanelBoundary>
          <Splitter panel="palette" label="Palette width" />
          <div className="centre">
            {view === 'json' ? (
              <PanelBoundary name="json" label="The JSON view">
                <Suspense fallback={<p className="panel-empty">Loading the editor…</p>}>
                  <JsonView />
                </Suspense>
              </PanelBoundary>
            ) : (
              <PanelBoundary name="canvas" label="The canvas">
                <FlowCanvas />
              </PanelBoundary>
            )}
            <Splitter panel="dock" label="Bottom panel height" />
            <BottomPanel />
          </div>
          <Splitter panel="inspector" label="Inspector width" />
          <PanelBoundary name="inspector" label="The inspector">
            <Inspector />
          </PanelBoundary>
        </div>
      )}
      <PanelBoundary name="dialogs" label="This dialog">
        <Dialogs />
      </PanelBoundary>
      <Toasts />
    </div>
  );
}
