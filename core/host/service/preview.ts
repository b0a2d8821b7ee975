/**
 * The Preview tab's request: a page of a node's table output from a run (the last one, or one
 * the request names), with the column profile when asked. Errors name the node and what it has.
 */
import { FlowlineError } from '../../spec/errors.ts';
import type { TableRef } from '../../spec/values.ts';
import type { ColumnProfile, PreviewRequest, TablePage } from '../api.ts';
import type { RunManager } from './runs.ts';

/** What the preview reads a table with (core/data/profile.ts, loaded when first needed). */
export interface TableReader {
  pageOf(table: TableRef, offset: number, limit: number, orderBy?: { column: string; descending?: boolean }): Promise<TablePage>;
  profileOf(table: TableRef): Promise<ColumnProfile[]>;
}

export async function previewTable(runs: RunManager, reader: () => Promise<TableReader>, request: PreviewRequest): Promise<TablePage> {
  const found = runs.findResult(request.nodeId, request.runId);
  if (!found?.node.outputs) {
    throw new FlowlineError({
      code: 'UNKNOWN_NODE',
      nodeId: request.nodeId,
      message: `Node "${request.nodeId}" has not run yet, so there is no table to show.`,
      hint: 'Run the pipeline, or use "Run to here" on this node.',
    });
  }
  const outputs = found.node.outputs;
  const port = request.port ?? Object.keys(outputs).find((p) => outputs[p]?.kind === 'table');
  const value = port === undefined ? undefined : outputs[port];
  if (!value || value.kind !== 'table') {
    throw new FlowlineError({
      code: 'UNKNOWN_PORT',
      nodeId: request.nodeId,
      message: request.port
        ? `Node "${request.nodeId}" has no table output "${request.port}".`
        : `Node "${request.nodeId}" has no table output to preview.`,
      hint: `Its outputs: ${Object.keys(outputs).join(', ') || 'none'}.`,
    });
  }
  // Loaded only once there is a table to read (core/data pulls in DuckDB).
  const data = await reader();
  // The page and the profile at once: each reads the table on a connection of its own.
  const [page, profile] = await Promise.all([data.pageOf(value, request.offset, request.limit, request.orderBy), request.withProfile ? data.profileOf(value) : undefined]);
  return profile ? { ...page, profile } : page;
}
