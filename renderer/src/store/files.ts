/**
 * The document's life: new, open, open an example, recover, save, close. Anything that would
 * replace unsaved work asks first (Save · Don't save · Cancel), as every desktop editor does, and
 * every newly loaded document starts from its own last results, or none.
 */
import { emptyPipeline, type Pipeline } from '../../../core/schema/pipeline.ts';
import { serializePipeline } from '../../../core/schema/serialize.ts';
import type { RecoveredWork } from '../../../core/host/api.ts';
import { api } from '../api/host.ts';
import { errorInfoOf } from '../api/client.ts';
import { useDocStore, isDirty } from './use-doc-store.ts';
import { useRunStore } from './use-run-store.ts';
import { useUiStore } from './use-ui-store.ts';
import { fileSlug } from '../lib/format.ts';

export const AUTOSAVE_KEY = 'studio';

const ui = () => useUiStore.getState();
const doc = () => useDocStore.getState();

export function reportError(e: unknown, prefix = ''): void {
  const info = errorInfoOf(e);
  ui().toast(`${prefix}${info.message}${info.hint ? ` ${info.hint}` : ''}`, 'error');
}

/**
 * Resolves true when the open document may be replaced: it has no unsaved changes, or the user
 * saved them, or chose not to. `action` completes "Save changes before you …?".
 */
export function confirmDiscard(action: string): Promise<boolean> {
  if (!isDirty(doc()) || ui().screen !== 'editor') return Promise.resolve(true);
  return new Promise((resolve) => ui().openDialog({ kind: 'unsaved', action, resolve }));
}

/** The unsaved-changes dialog's three answers. */
export async function answerUnsaved(answer: 'save' | 'discard' | 'cancel', resolve: (ok: boolean) => void): Promise<void> {
  ui().openDialog(null);
  if (answer === 'cancel') return resolve(false);
  if (answer === 'discard') {
    // The user chose to let this work go: do not offer it back at the next start.
    void api().autosave(AUTOSAVE_KEY, null).catch(() => undefined);
    return resolve(true);
  }
  const { path } = doc();
  if (path) return resolve(await saveTo(path));
  void askSaveAs(resolve);
}

const folderOf = (path: string) => path.replace(/[\\/][^\\/]*$/, '');

/**
 * Open…: the OS's own dialog when the host offers one (desktop), else the studio's file browser.
 * Resolves true when a pipeline was opened (the in-app dialog: once it is shown).
 */
export async function askOpen(): Promise<boolean> {
  if (ui().fileDialogs !== 'native') {
    ui().openDialog({ kind: 'open' });
    return true;
  }
  const { path, origin } = doc();
  const from = path ?? origin;
  try {
    const chosen = await api().chooseOpenPath(from ? folderOf(from) : ui().cwd || undefined);
    return chosen ? await openPath(chosen) : false;
  } catch (e) {
    reportError(e, 'Could not show the open dialog: ');
    return false;
  }
}

/** Save as…: the OS's own dialog when the host offers one, else the studio's; `then` hears whether it was saved. */
export async function askSaveAs(then?: (saved: boolean) => void): Promise<void> {
  if (ui().fileDialogs !== 'native') return ui().openDialog({ kind: 'save-as', then });
  const { path, pipeline } = doc();
  let saved = false;
  try {
    const chosen = await api().chooseSavePath(path ?? `${fileSlug(pipeline.name)}.flow.json`);
    if (chosen) saved = await saveTo(chosen);
  } catch (e) {
    reportError(e, 'Could not show the save dialog: ');
  }
  then?.(saved);
}

interface Where {
  path: string | null;
  /** An example this is an unsaved copy of. */
  origin?: string | null;
  needsTrust?: boolean;
}

/** Put a pipeline in the editor with a clean slate of results, then fetch its own last run. */
function loadDocument(pipeline: Pipeline, where: Where): void {
  doc().load(pipeline, where.path, where.needsTrust ?? false, where.origin ?? null);
  useRunStore.getState().reset();
  ui().setScreen('editor');
  ui().openDialog(null);
  const key = where.path ?? where.origin;
  if (!key) return;
  const loaded = doc().loadCount;
  void api()
    .lastRun(key)
    .then((summary) => {
      // Only if this is still the document that asked (the user may have opened another meanwhile).
      if (doc().loadCount === loaded) useRunStore.getState().loadSummary(summary, pipeline);
    }, () => undefined);
}

export async function newPipeline(): Promise<void> {
  if (!(await confirmDiscard('start a new pipeline'))) return;
  loadDocument(emptyPipeline(), { path: null });
}

export async function openPath(path: string, asExample = false): Promise<boolean> {
  if (!(await confirmDiscard(asExample ? 'open this example' : 'open another pipeline'))) return false;
  try {
    const opened = await api().openPipeline(path);
    // An example opens as an unsaved copy (Save asks where), but keeps running from its folder.
    if (asExample) loadDocument(opened.pipeline, { path: null, origin: opened.path });
    else loadDocument(opened.pipeline, { path: opened.path, needsTrust: opened.needsTrust });
    return true;
  } catch (e) {
    reportError(e, 'Could not open the pipeline: ');
    return false;
  }
}

/** A recorded run's copy of its pipeline, as unsaved work that runs from the original pipeline's folder. */
export async function openRunPipeline(copy: string, original?: string): Promise<boolean> {
  if (!(await confirmDiscard("open this run's pipeline"))) return false;
  try {
    const opened = await api().openPipeline(copy);
    loadDocument(opened.pipeline, { path: null, origin: original ?? opened.path });
    return true;
  } catch (e) {
    reportError(e, "Could not open the run's pipeline: ");
    return false;
  }
}

const sameContent = (a: Pipeline, b: Pipeline) => serializePipeline(a) === serializePipeline(b);

/** Bring back autosaved work where it was: its file (so relative data paths resolve), still unsaved. */
export async function loadRecovered(work: RecoveredWork): Promise<void> {
  let onDisk: Pipeline | null = null;
  let needsTrust = false;
  if (work.path) {
    try {
      const opened = await api().openPipeline(work.path);
      onDisk = opened.pipeline;
      needsTrust = opened.needsTrust;
    } catch {
      ui().toast(`${work.path} is no longer there; Save writes the recovered pipeline back to it.`);
    }
  }
  loadDocument(work.pipeline, { path: work.path ?? null, origin: work.origin ?? null, needsTrust });
  // Dirty unless the file already holds exactly this: the recovered edits were never saved.
  useDocStore.setState({ saved: onDisk && sameContent(onDisk, work.pipeline) ? work.pipeline : (onDisk ?? emptyPipeline()) });
}

export async function save(): Promise<boolean> {
  const { path } = doc();
  if (!path) {
    void askSaveAs();
    return false;
  }
  return saveTo(path);
}

export async function saveTo(path: string): Promise<boolean> {
  const target = /\.flow\.json$/.test(path) ? path : `${path.replace(/\.json$/, '')}.flow.json`;
  const snapshot = doc().pipeline;
  try {
    const saved = await api().savePipeline(target, snapshot);
    // Only what was written counts as saved; edits made meanwhile stay dirty.
    useDocStore.setState({ path: saved.path, origin: null, saved: snapshot });
    ui().openDialog(null);
    ui().toast(`Saved ${saved.path}`);
    void api().autosave(AUTOSAVE_KEY, null).catch(() => undefined);
    return true;
  } catch (e) {
    reportError(e, 'Could not save: ');
    return false;
  }
}

/** Every few seconds, put unsaved work in the host's recovery slot, with the file it belongs to. */
export function startAutosave(everyMs = 4000): () => void {
  let last: Pipeline | null = null;
  const timer = setInterval(() => {
    const s = doc();
    if (ui().screen !== 'editor' || !isDirty(s) || s.pipeline === last) return;
    last = s.pipeline;
    void api().autosave(AUTOSAVE_KEY, s.pipeline, { path: s.path ?? undefined, origin: s.origin ?? undefined }).catch(() => undefined);
  }, everyMs);
  return () => clearInterval(timer);
}

/**
 * Closing the window: the desktop shell calls window.flowlineStudio.requestClose() from its close
 * event and closes only on true; in a browser tab, beforeunload makes the browser ask (it shows its
 * own dialog; autosave keeps the work either way).
 */
export function installCloseGuard(host: string): void {
  window.flowlineStudio = { requestClose: () => confirmDiscard('close the window') };
  if (host === 'electron') return; // Electron would cancel the close silently; the shell asks instead.
  window.addEventListener('beforeunload', (e) => {
    if (ui().screen !== 'editor' || !isDirty(doc())) return;
    e.preventDefault();
    // Older Chromium needs returnValue set to show the prompt.
    e.returnValue = '';
  });
}
