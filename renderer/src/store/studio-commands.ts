/**
 * The studio's named commands: what a keyboard shortcut (ui/shortcuts.ts), a native menu item or
 * the OS (a double-clicked file) asks for runs the same function here, so the menu and the key
 * always do the same thing. Commands that edit the canvas do nothing off the editor, as their keys do.
 */
import type { ReactFlowInstance } from '@xyflow/react';
import type { StudioCommand } from '../../../core/host/api.ts';
import { useDocStore } from './use-doc-store.ts';
import { useUiStore } from './use-ui-store.ts';
import { copySelection, duplicateSelection, layoutAll, paste, removeElements } from './commands.ts';
import { cancelRun, run } from './actions.ts';
import { askOpen, askSaveAs, newPipeline, openPath, save } from './files.ts';
import { askReport } from '../report/report-actions.ts';
import { cardSize, fitAll } from '../canvas/fit.ts';

/** The canvas, for commands that move the view; null before it is mounted. */
export type FlowView = () => ReactFlowInstance | null;

export function runStudioCommand(command: StudioCommand, flow: FlowView = () => null): void {
  const ui = useUiStore.getState();
  const doc = useDocStore.getState();
  const inEditor = ui.screen === 'editor';
  const onCanvas = inEditor && ui.view === 'canvas';
  switch (command.command) {
    case 'open-path':
      return void openPath(command.path);
    case 'new':
      return void newPipeline();
    case 'open':
      return void askOpen();
    case 'save':
      return void (inEditor && save());
    case 'save-as':
      return void (inEditor && askSaveAs());
    case 'undo':
      return void (inEditor && doc.undo());
    case 'redo':
      return void (inEditor && doc.redo());
    case 'copy':
      if (onCanvas) {
        const n = copySelection();
        if (n) ui.toast(`Copied ${n} node${n === 1 ? '' : 's'}`);
      }
      return;
    case 'paste':
      return void (onCanvas && paste());
    case 'duplicate':
      return void (onCanvas && duplicateSelection());
    case 'select-all':
      return void (onCanvas && doc.select(doc.pipeline.nodes.map((n) => n.id)));
    case 'delete':
      return void (onCanvas && removeElements([...doc.selection], [...doc.selectedEdges]));
    case 'toggle-json':
      return void (inEditor && ui.setView(ui.view === 'json' ? 'canvas' : 'json'));
    case 'fit-view':
      if (onCanvas && flow()) fitAll(flow()!, { padding: 0.2, duration: 200 });
      return;
    case 'tidy':
      if (!onCanvas) return;
      if (flow()) void layoutAll(cardSize(flow()!)).then(() => requestAnimationFrame(() => flow() && fitAll(flow()!, { padding: 0.2 })));
      return;
    case 'run':
      return void (inEditor && run());
    case 'run-to-selection':
      return void (inEditor && doc.selection.length === 1 && run(doc.selection[0]));
    case 'cancel-run':
      return void cancelRun();
    case 'report':
      return void (inEditor && askReport());
    case 'quick-insert': {
      if (!onCanvas) return;
      const el = document.querySelector('.canvas')?.getBoundingClientRect();
      const at = el ? flow()?.screenToFlowPosition({ x: el.left + el.width / 2, y: el.top + el.height / 2 }) : undefined;
      return ui.openDialog({ kind: 'quick-insert', at: at ?? { x: 0, y: 0 } });
    }
    case 'node-help': {
      const one = inEditor && doc.selection.length === 1 ? doc.pipeline.nodes.find((n) => n.id === doc.selection[0]) : undefined;
      return ui.openDialog(one ? { kind: 'node-help', type: one.type } : { kind: 'help' });
    }
    case 'shortcuts':
      return ui.openDialog({ kind: 'help' });
  }
}
