import { memo } from 'react';
import { useRunStore, type NodeRunState } from '../store/use-run-store.ts';

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function statusText(s: NodeRunState | undefined): string {
  if (!s) return 'idle';
  switch (s.status) {
    case 'running':
      return `running ${Math.round((s.fraction ?? 0) * 100)}%${s.message ? ` · ${s.message}` : ''}`;
    case 'done':
      return `done in ${formatDuration(s.durationMs)}${warningCount(s)}`;
    case 'cached':
      return `cached${warningCount(s)}`;
    case 'error':
      return `error: ${s.error?.message ?? 'failed'}`;
    default:
      return s.status;
  }
}

const warningCount = (s: NodeRunState) => (s.warnings?.length ? ` · ⚠ ${s.warnings.length} warning${s.warnings.length > 1 ? 's' : ''}` : '');

/** Own subscription: progress updates re-render this strip only, never the canvas. */
function StatusStripImpl({ id }: { id: string }) {
  const state = useRunStore((s) => s.nodes[id]);
  const status = state?.status ?? 'idle';
  const warned = !!state?.warnings?.length && (status === 'done' || status === 'cached');
  return (
    <div
      className={`status status--${status}${warned ? ' status--warned' : ''}`}
      data-testid={`node-status-${id}`}
      data-status={status}
      title={warned ? state!.warnings!.join('\n') : (state?.error?.hint ?? state?.reason)}
    >
      {status === 'running' && <span className="status__bar" style={{ width: `${Math.round((state?.fraction ?? 0) * 100)}%` }} />}
      <span className="status__text">{statusText(state)}</span>
    </div>
  );
}

export const StatusStrip = memo(StatusStripImpl);
