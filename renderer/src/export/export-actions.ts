/** The studio's export calls: which nodes can export, and the call itself (trust asked first when needed). */
import type { CatalogNode, OnnxExportResult } from '../../../core/host/api.ts';
import { api } from '../api/host.ts';
import { errorInfoOf } from '../api/client.ts';
import { useDocStore } from '../store/use-doc-store.ts';
import { adoptRun } from '../store/use-run-store.ts';
import { useUiStore } from '../store/use-ui-store.ts';

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

export function openExportDialog(nodeId: string): void {
  useUiStore.getState().openDialog({ kind: 'export-onnx', nodeId });
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
