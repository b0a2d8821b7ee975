import { useDocStore } from '../store/use-doc-store.ts';
import { useRunStore, type Provenance, type NodeRunState } from '../store/use-run-store.ts';
import { signatures, type Signature } from '../lib/signature.ts';
import { formatWhen } from '../lib/format.ts';

/** Why a node's shown results may not match the pipeline as it is now; null when they do. */
export function staleReason(prov: Provenance | undefined, run: NodeRunState | undefined, now: Signature | undefined): string | null {
  if (!prov) return null;
  const from = `From the run at ${formatWhen(prov.startedAt)}`;
  switch (run?.status) {
    case 'error':
      return `${from} — this node failed in the latest run.`;
    case 'skipped':
      return `${from} — the latest run stopped before this node (something upstream failed).`;
    case 'cancelled':
      return `${from} — the latest run was cancelled before this node finished.`;
    case 'queued':
    case 'running':
      return `${from} — running again now.`;
  }
  if (!prov.signature || !now) return null;
  if (prov.signature.own !== now.own) return `${from} — params changed since.`;
  if (prov.signature.full !== now.full) return `${from} — a step upstream changed since.`;
  return null;
}

/** The reason a node's results are stale, for the Results and Preview tabs and the inspector. */
export function useStaleReason(nodeId: string): string | null {
  const prov = useRunStore((s) => s.provenance[nodeId]);
  const run = useRunStore((s) => s.nodes[nodeId]);
  // signatures() is memoised on the nodes and edges arrays, so this reads one map entry per edit.
  const now = useDocStore((s) => signatures(s.pipeline, s.catalog).get(nodeId));
  return staleReason(prov, run, now);
}

export function StaleNote({ nodeId }: { nodeId: string }) {
  const reason = useStaleReason(nodeId);
  if (!reason) return null;
  return (
    <p className="stale-note" role="note" data-testid={`stale-${nodeId}`}>
      {reason} {!/running again/.test(reason) && <span className="muted">Run again to refresh.</span>}
    </p>
  );
}
