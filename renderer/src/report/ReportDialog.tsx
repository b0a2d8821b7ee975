import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Modal } from '../ui/Modal.tsx';
import { FileBrowser } from '../files/FileBrowser.tsx';
import { useDocStore } from '../store/use-doc-store.ts';
import { useUiStore } from '../store/use-ui-store.ts';
import { suggestedReportName, writeReport } from './report-actions.ts';

/** Where to save the last run's report: a folder from the file browser and a name (an .html file). */
export function ReportDialog() {
  const { path, origin, name } = useDocStore(useShallow((s) => ({ path: s.path, origin: s.origin, name: s.pipeline.name })));
  const cwd = useUiStore((s) => s.cwd);
  // Beside the pipeline; an example's unsaved copy beside nothing of its own: the studio's folder.
  const [dir, setDir] = useState(path ? path.replace(/[\\/][^\\/]*$/, '') : origin ? cwd : '');
  const [file, setFile] = useState(suggestedReportName(name));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const close = () => useUiStore.getState().openDialog(null);
  const target = file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file) ? file : `${dir.replace(/\/$/, '')}/${file}`;
  return (
    <Modal title="Write the run report" onClose={close} testId="report-dialog" wide>
      <p className="muted">One self-contained HTML file of the last run — diagram, data profiles, metrics and charts, params and data fingerprints — as <code>flowline run --report</code> writes it.</p>
      <FileBrowser start={dir} extensions={['html']} onPick={(p) => setFile(p.split('/').pop()!)} pickDirs={setDir} />
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          void writeReport(target).then((problem) => {
            setBusy(false);
            setError(problem);
          });
        }}
      >
        <input className="input" autoFocus aria-label="Report file name or full path" value={file} onChange={(e) => setFile(e.target.value)} data-testid="report-path" />
        <button className="button button--primary" type="submit" disabled={busy || !file.trim()} data-testid="report-submit">{busy ? 'Writing…' : 'Write report'}</button>
      </form>
      <p className="muted">Writes <code>{target}</code></p>
      {error && <p className="error-box" role="alert" data-testid="report-error">{error}</p>}
    </Modal>
  );
}
