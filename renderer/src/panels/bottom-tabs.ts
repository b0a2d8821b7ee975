/**
 * The bottom panel's tabs, in order. Preview, Results, Log, Runs and Models register below; a feature
 * that needs a tab of its own registers it the same way (Alt+1… follows the order).
 */
import type { ComponentType } from 'react';
import { PreviewTab } from './PreviewTab.tsx';
import { ResultsTab } from './ResultsTab.tsx';
import { LogTab } from './LogTab.tsx';
import { RunsTab } from './RunsTab.tsx';
import { ModelsTab } from './ModelsTab.tsx';
import { useRunStore } from '../store/use-run-store.ts';

export interface BottomTabSpec {
  id: string;
  label: string;
  component: ComponentType;
  /** A small count shown on the tab (e.g. errors in the log); a hook, so it can read a store. */
  useBadge?: () => number;
}

const tabs: BottomTabSpec[] = [];

export function registerBottomTab(tab: BottomTabSpec): void {
  const at = tabs.findIndex((t) => t.id === tab.id);
  if (at >= 0) tabs[at] = tab;
  else tabs.push(tab);
}

export function bottomTabs(): readonly BottomTabSpec[] {
  return tabs;
}

registerBottomTab({ id: 'preview', label: 'Preview', component: PreviewTab });
registerBottomTab({ id: 'results', label: 'Results', component: ResultsTab });
registerBottomTab({ id: 'log', label: 'Log', component: LogTab, useBadge: useLogErrorCount });
registerBottomTab({ id: 'runs', label: 'Runs', component: RunsTab });
registerBottomTab({ id: 'models', label: 'Models', component: ModelsTab });

function useLogErrorCount(): number {
  return useRunStore((s) => s.logErrors);
}
