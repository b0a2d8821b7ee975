import { useUiStore } from '../store/use-ui-store.ts';
import { OpenDialog } from '../files/OpenDialog.tsx';
import { SaveAsDialog } from '../files/SaveAsDialog.tsx';
import { QuickInsert } from './QuickInsert.tsx';
import { ExportDialog } from '../export/ExportDialog.tsx';
import { Modal } from './Modal.tsx';
import { SHORTCUTS } from './shortcuts.ts';
import { UnsavedDialog } from './UnsavedDialog.tsx';
import { TemplateGrid } from './TemplateGrid.tsx';
import { NodeHelpDialog } from './NodeHelpDialog.tsx';
import { ConnectionsDialog } from './ConnectionsDialog.tsx';
import { ReportDialog } from '../report/ReportDialog.tsx';
import { HtmlDialog } from './HtmlDialog.tsx';

export function Dialogs() {
  const dialog = useUiStore((s) => s.dialog);
  const close = () => useUiStore.getState().openDialog(null);
  if (!dialog) return null;
  switch (dialog.kind) {
    case 'open':
      return <OpenDialog />;
    case 'save-as':
      return <SaveAsDialog then={dialog.then} />;
    case 'unsaved':
      return <UnsavedDialog action={dialog.action} resolve={dialog.resolve} />;
    case 'node-help':
      return <NodeHelpDialog type={dialog.type} />;
    case 'connections':
      return <ConnectionsDialog nodeId={dialog.nodeId} />;
    case 'examples':
      return (
        <Modal title="Open an example" onClose={close} testId="examples-dialog" wide>
          <p className="muted">An example opens as an unsaved copy; it reads its data from the example’s folder until you save it elsewhere.</p>
          <TemplateGrid />
        </Modal>
      );
    case 'quick-insert':
      return <QuickInsert at={dialog.at} />;
    case 'export':
      return <ExportDialog nodeId={dialog.nodeId} format={dialog.format ?? 'onnx'} />;
    case 'report':
      return <ReportDialog />;
    case 'html':
      return <HtmlDialog title={dialog.title} file={dialog.file} html={dialog.html} />;
    case 'trust':
      return (
        <Modal title="Trust this pipeline?" onClose={close} testId="trust-dialog">
          <p>It came from a file you have not trusted on this machine, and it would:</p>
          <ul className="trust-effects" data-testid="trust-effects">
            {dialog.effects.map((what) => (
              <li key={what}>{what}</li>
            ))}
          </ul>
          <p>Run it only if you trust where the file came from. Flowline will remember your answer for what it does.</p>
          <div className="row row--end">
            <button className="button" onClick={close}>Don’t run</button>
            <button
              className="button button--primary"
              autoFocus
              data-testid="trust-confirm"
              onClick={() => {
                close();
                dialog.then();
              }}
            >
              Trust and run
            </button>
          </div>
        </Modal>
      );
    case 'help':
      return (
        <Modal title="Keyboard shortcuts" onClose={close} testId="help-dialog">
          <table className="shortcuts">
            <tbody>
              {SHORTCUTS.map(([keys, what]) => (
                <tr key={keys}>
                  <td><kbd>{keys}</kbd></td>
                  <td>{what}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Modal>
      );
  }
}
