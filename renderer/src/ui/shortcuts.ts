/** Global keyboard shortcuts: everything the mouse can do, the keyboard can too. */
import type { ReactFlowInstance } from '@xyflow/react';
import { useUiStore } from '../store/use-ui-store.ts';
import { bottomTabs } from '../panels/bottom-tabs.ts';
import { groupSelection, addNote } from '../store/commands.ts';
import { runStudioCommand } from '../store/studio-commands.ts';
import type { StudioCommandName } from '../../../core/host/api.ts';

export const SHORTCUTS: [string, string][] = [
  ['Ctrl+Enter', 'Run the pipeline'],
  ['Ctrl+Shift+Enter', 'Run up to the selected node'],
  ['Escape', 'Cancel the run / close a dialog'],
  ['Ctrl+S / Ctrl+Shift+S', 'Save / Save as'],
  ['Ctrl+O', 'Open a pipeline'],
  ['Ctrl+Alt+N', 'New pipeline'],
  ['Ctrl+Z / Ctrl+Shift+Z, Ctrl+Y', 'Undo / Redo'],
  ['Ctrl+C / Ctrl+V / Ctrl+D', 'Copy / Paste / Duplicate selected nodes'],
  ['Delete, Backspace', 'Delete the selection'],
  ['Ctrl+A', 'Select all nodes'],
  ['Tab / Shift+Tab, then Enter', 'Move between nodes on the canvas and select one (zoomed far out on a big pipeline, the arrow keys too)'],
  ['Arrow keys', 'Move the selected nodes'],
  ['/', 'Add a node by name'],
  ['Ctrl+G', 'Group the selected nodes'],
  ['N', 'Add a sticky note'],
  ['Ctrl+Shift+L', 'Tidy: arrange nodes by their order'],
  ['F', 'Fit the pipeline in view'],
  ['Ctrl+J', 'Switch between canvas and JSON'],
  ['Alt+1 … Alt+5', 'Preview / Results / Log / Runs / Models tab'],
  ['Inspector → Inputs', 'Connect an input without the mouse'],
  ['F1', 'Help on the selected node (this list when none is selected)'],
  ['?', 'This list'],
];

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || !!el.closest?.('.monaco-editor');
}

export function installShortcuts(flow: () => ReactFlowInstance | null): () => void {
  const onKey = (e: KeyboardEvent) => {
    const ui = useUiStore.getState();
    const mod = e.ctrlKey || e.metaKey;
    const key = e.key.toLowerCase();
    const editing = typing(e.target);
    const inEditor = ui.screen === 'editor';
    const done = () => {
      e.preventDefault();
      e.stopPropagation();
    };
    // The same commands as the desktop menus (store/studio-commands.ts).
    const command = (name: StudioCommandName) => (done(), runStudioCommand({ command: name }, flow));

    // Work everywhere, even while typing.
    if (mod && key === 's') return command(e.shiftKey ? 'save-as' : 'save');
    if (mod && key === 'o') return command('open');
    if (mod && e.altKey && key === 'n') return command('new');
    if (mod && key === 'enter' && inEditor) return command(e.shiftKey ? 'run-to-selection' : 'run');
    const tab = e.altKey && /^[1-9]$/.test(e.key) ? bottomTabs()[Number(e.key) - 1] : undefined;
    if (tab && inEditor) return done(), ui.setBottomTab(tab.id);
    if (mod && key === 'j' && inEditor) return command('toggle-json');
    if (e.key === 'F1') return command('node-help');
    if (editing || ui.dialog || !inEditor) return;

    if (e.key === 'Escape') return void runStudioCommand({ command: 'cancel-run' });
    if (mod && key === 'z') return command(e.shiftKey ? 'redo' : 'undo');
    if (mod && key === 'y') return command('redo');
    if (ui.view !== 'canvas') return;
    if (mod && key === 'c') return command('copy');
    if (mod && key === 'v') return command('paste');
    if (mod && key === 'd') return command('duplicate');
    if (mod && key === 'a') return command('select-all');
    if (mod && key === 'g') return done(), groupSelection();
    if (mod && e.shiftKey && key === 'l') return command('tidy');
    if (mod || e.altKey) return;
    if (e.key === '/') return command('quick-insert');
    if (e.key === '?') return command('shortcuts');
    if (key === 'f') return command('fit-view');
    if (key === 'n') {
      done();
      const el = document.querySelector('.canvas')?.getBoundingClientRect();
      const at = el ? flow()?.screenToFlowPosition({ x: el.left + el.width / 2, y: el.top + 80 }) : undefined;
      addNote(at ?? { x: 0, y: 0 });
    }
  };
  window.addEventListener('keydown', onKey, true);
  return () => window.removeEventListener('keydown', onKey, true);
}
