import { useRunStore } from '../store/use-run-store.ts';
import { formatDuration } from '../canvas/StatusStrip.tsx';

/** Run summaries of this session, newest first. */
export function RunsTab() {
  const runs = useRunStore((s) => s.runs);
  if (!runs.length) return <p className="panel-empty">No runs in this session yet.</p>;
  return (
    <table className="runs" data-testid="runs">
      <thead>
        <tr><th>Started</th><th>Status</th><th>Time</th><th>Ran</th><th>Cached</th><th>Failed</th></tr>
      </thead>
      <tbody>
        {runs.map((r) => {
          const count = (st: string) => r.nodes.filter((n) => n.status === st).length;
          const failed = r.nodes.filter((n) => n.status === 'error');
          return (
            <tr key={r.runId} data-testid={`run-${r.runId}`}>
              <td>{new Date(r.startedAt).toLocaleTimeString()}</td>
              <td><span className={`status status--${r.status}`}>{r.status}</span></td>
              <td>{formatDuration(r.durationMs)}</td>
              <td>{count('done')}</td>
              <td>{count('cached')}</td>
              <td title={failed.map((n) => `${n.id}: ${n.error?.message ?? ''}`).join('\n')}>{failed.map((n) => n.id).join(', ') || '–'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
