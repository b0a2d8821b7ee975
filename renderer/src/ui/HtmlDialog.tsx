import { Modal } from './Modal.tsx';
import { useUiStore } from '../store/use-ui-store.ts';

/**
 * A self-contained HTML file the host wrote (a run report, a model card), shown as it opens in a
 * browser. The frame is sandboxed with nothing allowed: no script, no navigation, no requests
 * beyond what the file's own CSP (default-src 'none') already forbids.
 */
export function HtmlDialog({ title, file, html }: { title: string; file: string; html: string }) {
  return (
    <Modal title={title} onClose={() => useUiStore.getState().openDialog(null)} testId="html-dialog" wide>
      <p className="muted html-dialog__file" data-testid="html-dialog-file">Saved as <code>{file}</code>: open it in any browser, or print it to PDF from there.</p>
      <iframe className="html-dialog__frame" title={title} sandbox="" srcDoc={html} data-testid="html-dialog-frame" />
    </Modal>
  );
}
