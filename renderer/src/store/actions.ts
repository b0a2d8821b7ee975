/** Studio actions that talk to the host: files, runs, validation, autosave. */
import { emptyPipeline, type Pipeline } from '../../../core/schema/pipeline.ts';
import { api } from '../api/host.ts';
import { errorInfoOf } from '../api/client.ts';
import { useDocStore, isDirty } from './use-doc-store.ts';
import { useRunStore } from './use-run-store.ts';
import { useUiStore } from './use-ui-store.ts';

export const AUTOSAVE_KEY = 'studio';

const ui = () => useUiStore.getState();
const doc = () => useDocStore.getState();

export function reportError(e: unknown, prefix = ''): void {
  const info = errorInfoOf(e);
  ui().toast(`${prefix}${info.message}${info.hint ? ` ${info.hint}` : ''}`, 'error');
}

export function newPipeline(): void {
  doc().load(emptyPipeline(), null);
  useRunStore.getState().reset();
  ui().setScreen('editor');
}

export function loadRecovered(pipeline: Pipeline): void {
  doc().load(pipeline, null);
  // Recovered work is unsaved: mark it dirty by keeping an empty "saved" baseline.
  useDocStore.setState({ saved: emptyPipeline() });
  useRunStore.getState().reset();
  ui().setScreen('editor');
}

export async function openPath(path: string, asTemplate = false): Promise<boolean> {
  try {
    const opened = await api().openPipeline(path);
    // An example opens as an unsaved copy (Save asks where), but keeps running from its folder.
    if (asTemplate) doc().load(opened.pipeline, null, false, opened.path);
    else doc().load(opened.pipeline, opened.path, opened.needsTrust);
    useRunStore.getState().reset();
    ui().setScreen('editor');
    ui().openDialog(null);
    void api().lastRun(asTemplate ? undefined : opened.path).then((s) => useRunStore.getState().loadSummary(s), () => undefined);
    return true;
  } catch (e) {
    reportError(e, 'Could not open the pipeline: ');
    return false;
  }
}

export async function save(): Promise<boolean> {
  const { path } = doc();
  if (!path) {
    ui().openDialog({ kind: 'save-as' });
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

/**
 * Run the pipeline. The host is the trust gate: a pipeline that would run code, query a database
 * or touch files outside its folder, and came from a file not trusted yet, is refused with what it
 * would do; the user reads that list and may choose "Trust and run".
 */
export async function run(to?: string): Promise<void> {
  const { path, origin, pipeline } = doc();
  if (useRunStore.getState().currentRunId) return;
  const request = { pipeline, path: path ?? origin ?? undefined, to };
  try {
    const { runId } = await api().run(request);
    useRunStore.setState({ currentRunId: runId });
  } catch (e) {
    const info = errorInfoOf(e);
    if (info.code !== 'NOT_TRUSTED') return reportError(e, 'Could not start the run: ');
    ui().openDialog({
      kind: 'trust',
      effects: info.details ?? [info.message],
      then: () => {
        void api()
          .trustRun(request)
          .then(() => {
            doc().setTrusted();
            return run(to);
          }, (err: unknown) => reportError(err));
      },
    });
  }
}

export async function cancelRun(): Promise<void> {
  const id = useRunStore.getState().currentRunId;
  if (!id) return;
  try {
    await api().cancel(id);
  } catch (e) {
    reportError(e);
  }
}

/** Re-validate on every edit (debounced): diagnostics on the cards, schemas for column pickers. */
export function startValidation(delayMs = 300): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let seq = 0;
  const check = () => {
    const { pipeline, path, origin } = doc();
    const mine = ++seq;
    api()
      .validatePipeline(pipeline, path ?? origin ?? undefined)
      .then((r) => {
        if (mine === seq) ui().setValidation(r.diagnostics, r.schemas);
      }, () => undefined);
  };
  const unsubscribe = useDocStore.subscribe((s, prev) => {
    if (s.pipeline === prev.pipeline || s.gesture) return;
    clearTimeout(timer);
    timer = setTimeout(check, delayMs);
  });
  check();
  return () => {
    clearTimeout(timer);
    unsubscribe();
  };
}

/** Every few seconds, put unsaved work in the host's recovery slot. */
export function startAutosave(everyMs = 4000): () => void {
  let last: Pipeline | null = null;
  const timer = setInterval(() => {
    const s = doc();
    if (ui().screen !== 'editor' || !isDirty(s) || s.pipeline === last) return;
    last = s.pipeline;
    void api().autosave(AUTOSAVE_KEY, s.pipeline).catch(() => undefined);
  }, everyMs);
  return () => clearInterval(timer);
}
