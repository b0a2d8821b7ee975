/**
 * Hooks for end-to-end tests, off in every user's studio: they are installed only in a dev build
 * or when the page was loaded with localStorage "flowline.testHooks" = "1" (a test sets it with an
 * init script), so nothing a user clicks or types can trigger them.
 *
 *   window.flowlineTestHooks.breakPanel('tab:results')   // that panel throws on its next render
 *   window.flowlineTestHooks.breakPanel(null)            // heal it ("Reload panel" then works)
 */
import { create } from 'zustand';

interface FaultState {
  broken: string | null;
}

const useFaultStore = create<FaultState>()(() => ({ broken: null }));

declare global {
  interface Window {
    flowlineTestHooks?: { breakPanel(name: string | null): void };
  }
}

function enabled(): boolean {
  if (import.meta.env.DEV) return true;
  try {
    return localStorage.getItem('flowline.testHooks') === '1';
  } catch {
    return false;
  }
}

export function installTestHooks(): void {
  if (!enabled()) return;
  window.flowlineTestHooks = { breakPanel: (name) => useFaultStore.setState({ broken: name }) };
}

/** Rendered first inside every panel boundary: throws while a test has broken this panel. */
export function FaultPoint({ name }: { name: string }) {
  const broken = useFaultStore((s) => s.broken === name);
  if (broken) throw new Error(`Injected fault in the ${name} panel (test hook).`);
  return null;
}
