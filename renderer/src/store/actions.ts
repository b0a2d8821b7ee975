/** Studio actions that talk to the host about runs and validation (files: files.ts). */
import { api } from '../api/host.ts';
import { errorInfoOf } from '../api/client.ts';
import { useDocStore } from './use-doc-store.ts';
import { adoptRun, useRunStore } from './use-run-store.ts';
import { useUiStore } from './use-ui-store.ts';
import { reportError } from './files.ts';

const ui = () => useUiStore.getState();
const doc = () => useDocStore.getState();

/**
 * Run the pipeline. The host is the trust gate: a pipeline that would run code, query a database
 * or touch files outside its folder, and came from a file not trusted yet, is refused with what it
 * would do; the user reads that list and may choose "Trust and run".
 */
export async function run(to?: string): Promise<void> {
  const { path, origin, pipeline, loadCount, catalog } = doc();
  if (useRunStore.getState().currentRunId) return;
  if (!pipeline.nodes.length) {
    ui().toast('Nothing to run yet: this pipeline has no nodes. Drag one from the palette, or press / to add one by name.');
    return;
  }
  const request = { pipeline, path: path ?? origin ?? undefined, to };
  try {
    const { runId } = await api().run(request);
    // A run of a document that was replaced while the host answered is not this document's.
    if (doc().loadCount === loadCount) adoptRun(runId, pipeline, catalog);
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
