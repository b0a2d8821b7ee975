import { useEffect, useMemo, useState } from 'react';
import type { RunComparison, RunRecord } from '../../../core/host/api.ts';
import { api } from '../api/host.ts';
import { useHostRead } from '../api/use-host-read.ts';
import { LineChart } from '../../../charts/LineChart.tsx';
import { formatDuration } from '../canvas/StatusStrip.tsx';
import { openRunPipeline } from '../store/files.ts';
import { useDocStore } from '../store/use-doc-store.ts';
import { useRunStore } from '../store/use-run-store.ts';
import { formatDateTime, formatMetric as num, formatNamedMetric } from '../lib/format.ts';


/**
 * Every run recorded beside the pipeline (docs/lifecycle.md), across sessions and from the CLI
 * too, newest first: a table, a metric over the runs, two runs side by side, and each run's
 * pipeline to open.
 */
export function RunsTab() {
  const path = useDocStore((s) => s.path ?? s.origin ?? undefined);
  const session = useRunStore((s) => s.runs);
  const sessionRuns = session.length;
  // Runs are logged per folder: show this file's own (another pipeline beside it has its own).
  // Unsaved work has no file to match: only the runs this document made in this session.
  const { value: runs, error: readError } = useHostRead<RunRecord[]>(
    () => api().listRuns(path).then((r) => (path ? r.filter((x) => x.pipeline.path === path) : r.filter((x) => session.some((s) => s.runId === x.id)))),
    [path, sessionRuns],
  );
  const [picked, setPicked] = useState<string[]>([]);
  const [comparison, setComparison] = useState<RunComparison | null>(null);
  const [metric, setMetric] = useState<string>('');

  // Held-out scores (Evaluate's) before training-set ones: they are what runs are compared by.
  const metricNames = useMemo(() => {
    const evaluates = new Set((runs ?? []).flatMap((r) => r.nodes.filter((n) => n.type === 'ml.evaluate').map((n) => n.id)));
    const names = [...new Set((runs ?? []).flatMap((r) => Object.entries(r.metrics).flatMap(([node, m]) => Object.keys(m).map((k) => `${node}.${k}`))))];
    const rank = (name: string) => (evaluates.has(name.slice(0, name.indexOf('.'))) ? 0 : 1);
    return names.sort((a, b) => rank(a) - rank(b));
  }, [runs]);
  const shown = metric || metricNames[0] || '';

  const [compareError, setCompareError] = useState<string | null>(null);
  useEffect(() => {
    setCompareError(null);
    if (picked.length !== 2) return setComparison(null);
    void api().compareRuns(path, picked[0], picked[1]).then(setComparison, (e: Error) => setCompareError(e.message));
  }, [picked, path]);
  const error = readError ?? compareError;

  if (error) return <p className="panel-empty">Runs could not be read: {error}</p>;
  if (!runs) return <p className="panel-empty">Reading the runs…</p>;
  if (!runs.length) return <p className="panel-empty">No runs recorded for this pipeline yet.</p>;
  const valueOf = (r: RunRecord, name: string) => {
    const dot = name.indexOf('.');
    return r.metrics[name.slice(0, dot)]?.[name.slice(dot + 1)];
  };
  const points = runs.map((r, i) => [i + 1, valueOf(r, shown)] as [number, number | undefined]).filter((p): p is [number, number] => p[1] !== undefined);
  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id].slice(-2)));
  const byTime = (ids: string[]) => [...ids].sort((a, b) => runs.findIndex((r) => r.id === a) - runs.findIndex((r) => r.id === b));

  return (
    <div className="runs-view" data-testid="runs-view">
      <table className="runs" data-testid="runs">
        <thead>
          <tr><th>Compare</th><th>#</th><th>Started</th><th>Status</th><th>By</th><th>Time</th>{metricNames.slice(0, 4).map((m) => <th key={m}>{m}</th>)}<th /></tr>
        </thead>
        <tbody>
          {[...runs].reverse().map((r) => (
            <tr key={r.id} data-testid={`run-${r.id}`}>
              <td><input type="checkbox" aria-label={`compare ${r.id}`} checked={picked.includes(r.id)} onChange={() => toggle(r.id)} /></td>
              <td>{runs.indexOf(r) + 1}</td>
              <td title={r.id}>{formatDateTime(r.startedAt)}</td>
              <td title={r.failure}><span className={`status status--${r.status === 'failed' ? 'error' : r.status}`}>{r.status}</span></td>
              <td>{r.host}</td>
              <td>{r.durationMs === undefined ? '–' : formatDuration(r.durationMs)}</td>
              {metricNames.slice(0, 4).map((m) => <td key={m} className="num">{formatNamedMetric(m, valueOf(r, m))}</td>)}
              <td><button className="link-button" onClick={() => void openRunPipeline(r.pipeline.copy, r.pipeline.path)} data-testid={`open-run-${r.id}`}>Open pipeline</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      {metricNames.length > 0 && (
        <div className="runs-chart" data-testid="runs-chart">
          <label>
            Metric over runs{' '}
            <select value={shown} onChange={(e) => setMetric(e.target.value)} data-testid="runs-metric">
              {metricNames.map((m) => <option key={m} value={m}>{m}</option>)}
            </select>
          </label>
          {points.length > 0 && <LineChart spec={{ kind: 'line', id: 'runs', title: `${shown} over runs`, x: { label: 'run #', min: 1, max: Math.max(2, runs.length) }, y: { label: shown }, series: [{ name: shown, points }] }} />}
        </div>
      )}
      {comparison && <Comparison c={comparison} order={byTime(picked)} runs={runs} />}
      {picked.length === 1 && <p className="muted">Tick a second run to compare.</p>}
    </div>
  );
}

function Comparison({ c, runs }: { c: RunComparison; order: string[]; runs: RunRecord[] }) {
  const label = (id: string) => `#${runs.findIndex((r) => r.id === id) + 1}`;
  const show = (v: unknown) => (v === undefined ? '(unset)' : JSON.stringify(v));
  return (
    <div className="runs-compare" data-testid="runs-compare">
      <h4>{label(c.a)} → {label(c.b)}{c.samePipeline ? ' (same pipeline)' : ''}</h4>
      <table className="runs">
        <thead><tr><th>What</th><th>{label(c.a)}</th><th>{label(c.b)}</th><th>Change</th></tr></thead>
        <tbody>
          {c.seed && <tr><td>seed</td><td>{c.seed.before}</td><td>{c.seed.after}</td><td /></tr>}
          {c.params.map((p) => <tr key={`p-${p.nodeId}.${p.param}`}><td>{p.nodeId}.{p.param}</td><td>{show(p.before)}</td><td>{show(p.after)}</td><td>param</td></tr>)}
          {c.nodes.map((n) => <tr key={`n-${n.nodeId}`}><td>{n.nodeId}</td><td>{n.before ?? '–'}</td><td>{n.after ?? '–'}</td><td>node {n.change}</td></tr>)}
          {c.data.map((d) => <tr key={`d-${d.path}`}><td>{d.path}</td><td>{d.before?.slice(0, 12) ?? '–'}</td><td>{d.after?.slice(0, 12) ?? '–'}</td><td>data {d.change}</td></tr>)}
          {c.metrics.map((m) => <tr key={`m-${m.nodeId}.${m.metric}`}><td>{m.nodeId}.{m.metric}</td><td>{formatNamedMetric(m.metric, m.before)}</td><td>{formatNamedMetric(m.metric, m.after)}</td><td>{m.delta === null ? '' : `${m.delta >= 0 ? '+' : ''}${num(m.delta)}`}</td></tr>)}
        </tbody>
      </table>
    </div>
  );
}
