import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './styles.css';
import { CHART_CSS } from '../../charts/chart-styles.ts';
import { App } from './App.tsx';
import { createApi, onHostNotice } from './api/client.ts';
import { setApi } from './api/host.ts';
import { useDocStore } from './store/use-doc-store.ts';
import { useUiStore } from './store/use-ui-store.ts';
import { connectRunEvents } from './store/use-run-store.ts';
import { startValidation } from './store/actions.ts';
import { installCloseGuard, reportError, startAutosave } from './store/files.ts';
import { installTestHooks } from './ui/test-hooks.ts';

// The charts' CSS is shared with the run report (charts/chart-styles.ts), so it is one string, not a rule in styles.css.
const chartStyle = document.createElement('style');
chartStyle.dataset.charts = '';
chartStyle.textContent = CHART_CSS;
document.head.append(chartStyle);

async function start() {
  installTestHooks();
  const api = await createApi();
  setApi(api);
  onHostNotice((info) => reportError(info));
  connectRunEvents((l) => api.onEvent(l));
  try {
    const [hello, catalog] = await Promise.all([api.hello(), api.catalog()]);
    document.documentElement.dataset.host = hello.host;
    useUiStore.setState({ cwd: hello.cwd, fileDialogs: hello.dialogs ?? 'in-app' });
    useDocStore.getState().setCatalog(catalog);
  } catch (e) {
    reportError(e, 'The studio could not load the node catalog: ');
  }
  installCloseGuard(document.documentElement.dataset.host ?? 'web');
  startValidation();
  startAutosave();
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
  document.documentElement.dataset.ready = 'true';
}

void start();
