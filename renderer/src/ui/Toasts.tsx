import { useUiStore } from '../store/use-ui-store.ts';
import { Icon } from './Icon.tsx';

export function Toasts() {
  const toasts = useUiStore((s) => s.toasts);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast--${t.tone}`} role={t.tone === 'error' ? 'alert' : 'status'} data-testid="toast">
          <span>{t.message}</span>
          <button className="icon-button" onClick={() => useUiStore.getState().dismiss(t.id)} aria-label="Dismiss"><Icon name="close" /></button>
        </div>
      ))}
    </div>
  );
}
