/**
 * The Report button: the report of the pipeline's last run, as `flowline run --report` writes it
 * (the host writes it with that same function). It asks where to save it first — the OS's save
 * dialog on the desktop, the studio's file browser in a browser; a pipeline that has not run yet
 * gets a clear message instead of a dialog.
 */
import { api } from '../api/host.ts';
import { errorInfoOf } from '../api/client.ts';
import { useDocStore } from '../store/use-doc-store.ts';
import { useUiStore } from '../store/use-ui-store.ts';
import { fileSlug } from '../lib/format.ts';


/** The key the host keeps the last run under: the file, or the example it is an unsaved copy of. */
export const reportKey = () => {
  const { path, origin } = useDocStore.getState();
  return path ?? origin ?? undefined;
};

export const suggestedReportName = (pipelineName: string) => `${fileSlug(pipelineName)}-report.html`;

export async function askReport(): Promise<void> {
  const ui = useUiStore.getState();
  try {
    if (!(await api().lastRun(reportKey()))) {
      return ui.toast('This pipeline has not run yet, so there is no run to report: run it (Ctrl+Enter), then write its report.', 'error');
    }
  } catch (e) {
    return ui.toast(`Could not write the report: ${errorInfoOf(e).message}`, 'error');
  }
  if (ui.fileDialogs !== 'native') return ui.openDialog({ kind: 'report' });
  // The desktop app: the OS's own save dialog, filtered to .html, beside the pipeline.
  const { path, pipeline } = useDocStore.getState();
  const name = suggestedReportName(pipeline.name);
  try {
    const chosen = await api().chooseSavePath(path ? `${path.replace(/[\\/][^\\/]*$/, '')}/${name}` : name, 'report');
    const problem = chosen ? await writeReport(chosen) : null;
    if (problem) ui.toast(`Could not write the report: ${problem}`, 'error');
  } catch (e) {
    ui.toast(`Could not show the save dialog: ${errorInfoOf(e).message}`, 'error');
  }
}

/** Write it to `out` and show it; the error's message when the host refuses. */
export async function writeReport(out: string): Promise<string | null> {
  const { pipeline } = useDocStore.getState();
  try {
    const written = await api().writeReport({ path: reportKey(), pipeline, out });
    const ui = useUiStore.getState();
    ui.openDialog({ kind: 'html', title: `Report of run ${written.runId}`, file: written.file, html: written.html });
    ui.toast(`Report written to ${written.file}`);
    return null;
  } catch (e) {
    return errorInfoOf(e).message;
  }
}
