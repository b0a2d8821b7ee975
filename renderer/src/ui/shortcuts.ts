/** Global keyboard shortcuts: everything the mouse can do, the keyboard can too. */
import type { ReactFlowInstance } from '@xyflow/react';
import { useDocStore } from '../store/use-doc-store.ts';
import { useUiStore } from '../store/use-ui-store.ts';
import { bottomTabs } from '../panels/bottom-tabs.ts';
import { copySelection, duplicateSelection, groupSelection, layoutAll, paste, addNote } from '../store/commands.ts';
import { cancelRun, run } from '../store/actions.ts';
import { newPipeline, save } from '../store/files.ts';

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
  ['Tab / Shift+Tab, then Enter', 'Move between nodes on the canvas and select one'],
  ['Arrow keys', 'Move the selected nodes'],
  ['/', 'Add a node by name'],
  ['Ctrl+G', 'Group the selected nodes'],
  ['N', 'Add a sticky note'],
  ['Ctrl+Shift+L', 'Tidy: arrange nodes by their order'],
  ['F', 'Fit the pipeline in view'],
  ['Ctrl+J', 'Switch between canvas and JSON'],
  ['Alt+1 … Alt+4', 'Preview / Results / Log / Runs tab'],
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
    const doc = useDocStore.getState();
    const mod = e.ctrlKey || e.metaKey;
    const key = e.key.toLowerCase();
    const editing = typing(e.target);
    const inEditor = ui.screen === 'editor';
    const done = () => {
      e.preventDefault();
      e.stopPropagation();
    };

    // Work everywhere, even while typing.
    if (mod && key === 's') {
      done();
      if (!inEditor) return;
      if (e.shiftKey) ui.openDialog({ kind: 'save-as' });
      else void save();
      return;
    }
    if (mod && key === 'o') return done(), ui.openDialog({ kind: 'open' });
    if (mod && e.altKey && key === 'n') return done(), void newPipeline();
    if (mod && key === 'enter' && inEditor) {
      done();
      if (e.shiftKey) {
        if (doc.selection.length === 1) void run(doc.selection[0]);
      } else void run();
      return;
    }
    const tab = e.altKey && /^[1-9]$/.test(e.key) ? bottomTabs()[Number(e.key) - 1] : undefined;
    if (tab && inEditor) return done(), ui.setBottomTab(tab.id);
    if (mod && key === 'j' && inEditor) return done(), ui.setView(ui.view === 'json' ? 'canvas' : 'json');
    if (e.key === 'F1') {
      done();
      const one = inEditor && doc.selection.length === 1 ? doc.pipeline.nodes.find((n) => n.id === doc.selection[0]) : undefined;
      return ui.openDialog(one ? { kind: 'node-help', type: one.type } : { kind: 'help' });
    }
    if (editing || ui.dialog || !inEditor) return;

    if (e.key === 'Escape') return void cancelRun();
    if (mod && key === 'z') return done(), e.shiftKey ? doc.redo() : doc.undo();
    if (mod && key === 'y') return done(), doc.redo();
    if (ui.view !== 'canvas') return;
    if (mod && key === 'c') {
      const n = copySelection();
      if (n) ui.toast(`Copied ${n} node${n === 1 ? '' : 's'}`);
      return done();
    }
    if (mod && key === 'v') return done(), paste();
    if (mod && key === 'd') return done(), duplicateSelection();
    if (mod && key === 'a') return done(), doc.select(doc.pipeline.nodes.map((n) => n.id));
    if (mod && key === 'g') return done(), groupSelection();
    if (mod && e.shiftKey && key === 'l') return done(), layoutAll(), requestAnimationFrame(() => flow()?.fitView({ padding: 0.2 }));
    if (mod || e.altKey) return;
    if (e.key === '/') {
      done();
      const el = document.querySelector('.canvas')?.getBoundingClientRect();
      const at = el ? flow()?.screenToFlowPosition({ x: el.left + el.width / 2, y: el.top + el.height / 2 }) : undefined;
      return ui.openDialog({ kind: 'quick-insert', at: at ?? { x: 0, y: 0 } });
    }
    if (e.key === '?') return done(), ui.openDialog({ kind: 'help' });
    if (key === 'f') return done(), void flow()?.fitView({ padding: 0.2, duration: 200 });
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
