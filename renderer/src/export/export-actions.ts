/** The studio's export calls: which nodes can export, and the call itself (trust asked first when needed). */
import type { CatalogNode, DockerExportRequest, DockerExportSummary, OnnxExportResult } from '../../../core/host/api.ts';
import type { ErrorInfo } from '../../../core/spec/errors.ts';
import { api } from '../api/host.ts';
import { errorInfoOf } from '../api/client.ts';
import { useDocStore } from '../store/use-doc-store.ts';
import { adoptRun } from '../store/use-run-store.ts';
import { useUiStore } from '../store/use-ui-store.ts';
import { askSaveAs, saveTo } from '../store/files.ts';

/** Does this node type produce a model (Train, Tune...)? */
export function producesModel(spec: CatalogNode | undefined): boolean {
  return !!spec?.outputs.some((o) => o.type === 'model');
}

/** The selected node, when exactly one is selected and it produces a model. */
export function exportableSelection(): string | null {
  const s = useDocStore.getState();
  if (s.selection.length !== 1) return null;
  const node = s.pipeline.nodes.find((n) => n.id === s.selection[0]);
  return node && producesModel(s.catalog.get(node.type)) ? node.id : null;
}

export function openExportDialog(nodeId: string, format: 'onnx' | 'docker' = 'onnx'): void {
  useUiStore.getState().openDialog({ kind: 'export', nodeId, format });
}

/** The other nodes of the pipeline that make a model: the Docker bundle's possible challengers. */
export function otherModelNodes(nodeId: string): string[] {
  const s = useDocStore.getState();
  return s.pipeline.nodes.filter((n) => n.id !== nodeId && producesModel(s.catalog.get(n.type))).map((n) => n.id);
}

/**
 * Save (Save as when the work has no file yet), then come back to the Docker export: the bundle
 * is built from the saved file and records it as the models' lineage.
 */
export async function saveThenExportDocker(nodeId: string): Promise<void> {
  const { path } = useDocStore.getState();
  if (!path) return void askSaveAs((saved) => saved && openExportDialog(nodeId, 'docker'));
  // saving closes the dialog: open it again on the Docker bundle
  if (await saveTo(path)) openExportDialog(nodeId, 'docker');
}

export type DockerExportOutcome = { ok: true; summary: DockerExportSummary } | { ok: false; error: ErrorInfo };

/** The Docker serving bundle of the saved pipeline's node (the host re-reads the file). */
export async function exportDockerBundle(request: Omit<DockerExportRequest, 'path'>): Promise<DockerExportOutcome> {
  const { path } = useDocStore.getState();
  if (!path) return { ok: false, error: { code: 'BAD_ARGUMENTS', message: 'Save the pipeline to a file first: the bundle is built from the saved file.' } };
  try {
    return { ok: true, summary: await api().exportDocker({ ...request, path }) };
  } catch (e) {
    return { ok: false, error: errorInfoOf(e) };
  }
}

export async function exportOnnx(nodeId: string, options: { exact: boolean; out?: string }): Promise<OnnxExportResult> {
  const { pipeline, path, origin, loadCount, catalog } = useDocStore.getState();
  const request = { pipeline, path: path ?? origin ?? undefined, nodeId, exact: options.exact, ...(options.out ? { out: options.out } : {}) };
  try {
    const result = await api().exportOnnx(request);
    // the run behind the export is this document's (unless it was replaced meanwhile): its
    // statuses and outputs show on the canvas like any run's
    if (result.runId && useDocStore.getState().loadCount === loadCount) adoptRun(result.runId, pipeline, catalog);
    return result;
  } catch (e) {
    return { ok: false, target: options.exact ? 'exact' : 'default', error: errorInfoOf(e), durationMs: 0 };
  }
}
