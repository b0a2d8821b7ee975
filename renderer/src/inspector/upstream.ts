import type { ColumnSchema } from '../../../core/spec/values.ts';
import { ROW_ID } from '../../../core/spec/values.ts';
import { splitEndpoint } from '../../../core/schema/pipeline.ts';
import { useDocStore } from '../store/use-doc-store.ts';
import { useRunStore } from '../store/use-run-store.ts';
import { useUiStore } from '../store/use-ui-store.ts';

/**
 * Columns reaching a node's input port: from the last run's output tables when there is one,
 * else from the host's schema inference (validatePipeline().schemas).
 */
export function useUpstreamColumns(nodeId: string, port: string): ColumnSchema[] | null {
  const edges = useDocStore((s) => s.pipeline.edges);
  const outputs = useRunStore((s) => s.outputs);
  const schemas = useUiStore((s) => s.schemas);
  const sources = edges.filter((e) => e.to === `${nodeId}.${port}`).map((e) => splitEndpoint(e.from));
  if (!sources.length) return null;
  const seen = new Map<string, ColumnSchema>();
  let known = false;
  for (const src of sources) {
    const value = outputs[src.node]?.[src.port];
    const cols = value && value.kind === 'table' ? value.columns : schemas[src.node]?.[src.port];
    if (!cols) continue;
    known = true;
    for (const c of cols) if (c.name !== ROW_ID && !seen.has(c.name)) seen.set(c.name, c);
  }
  return known ? [...seen.values()] : null;
}
