import { useState } from 'react';
import type { AuditEntry, ModelRegistryView, ModelStageResult, RegisteredModel } from '../../../core/host/api.ts';
import { api } from '../api/host.ts';
import { errorInfoOf } from '../api/client.ts';
import { useHostRead } from '../api/use-host-read.ts';
import { formatDateTime, formatNamedMetric } from '../lib/format.ts';
import { useDocStore } from '../store/use-doc-store.ts';
import { useRunStore } from '../store/use-run-store.ts';
import { useUiStore } from '../store/use-ui-store.ts';

/** What the reason form is for: promoting a version, or rolling production back. */
type Pending = { action: 'promote'; version: string } | { action: 'rollback' };

/**
 * The model registry beside the pipeline's folder (docs/lifecycle.md, "Model registry"): every
 * exported version with its stage, lineage and card, Promote and Rollback with a reason — the
 * host runs `flowline models promote|rollback`'s own code, gates included — and the audit trail.
 */
export function ModelsTab() {
  const path = useDocStore((s) => s.path ?? s.origin ?? undefined);
  // A run may have exported (an Export node registers its model): read the registry again after each.
  const sessionRuns = useRunStore((s) => s.runs.length);
  const { value: view, error, reload } = useHostRead<ModelRegistryView>(() => api().listModels(path), [path, sessionRuns]);
  const [pending, setPending] = useState<Pending | null>(null);
  const [outcome, setOutcome] = useState<ModelStageResult | null>(null);

  if (error) return <p className="panel-empty">The model registry could not be read: {error}</p>;
  if (!view) return <p className="panel-empty">Reading the model registry…</p>;
  if (!view.versions.length) {
    return <p className="panel-empty" data-testid="models-empty">No models registered beside this pipeline yet: every export (Export… on a Train node, an Export node, or <code>flowline export</code>) registers one.</p>;
  }
  const production = view.versions.find((v) => v.stage === 'production');
  const done = (r: ModelStageResult) => {
    setOutcome(r);
    setPending(null);
    reload();
  };

  return (
    <div className="models-view" data-testid="models-view">
      <div className="models-view__bar">
        <span className="muted" title={view.dir}>Registered beside this pipeline: {view.versions.length} version{view.versions.length === 1 ? '' : 's'}{production ? `, ${production.id} in production` : ', none in production'}</span>
        <button className="button" disabled={!production} onClick={() => setPending({ action: 'rollback' })} data-testid="models-rollback" title={production ? `Archive ${production.id} and put the previous production version back` : 'No version is in production'}>
          Roll back…
        </button>
        <button className="button" onClick={reload} data-testid="models-refresh">Refresh</button>
      </div>
      {pending && <ReasonForm pending={pending} path={path} production={production?.id} onDone={done} onCancel={() => setPending(null)} />}
      {outcome && <Outcome r={outcome} onClose={() => setOutcome(null)} />}
      <table className="runs models" data-testid="models">
        <thead>
          <tr><th>Version</th><th>Stage</th><th>Registered</th><th>Model</th><th>Metrics</th><th>Lineage</th><th>Card</th><th /></tr>
        </thead>
        <tbody>
          {[...view.versions].reverse().map((v) => (
            <tr key={v.id} data-testid={`model-${v.id}`}>
              <td><strong>{v.id}</strong></td>
              <td><span className={`stage stage--${v.stage}`} data-testid={`stage-${v.id}`}>{v.stage}</span></td>
              <td>{formatDateTime(v.registeredAt)}</td>
              <td title={`reads ${v.model.inputs.join(', ')}`}>{v.model.learner}<span className="muted models__sub">{v.model.task} · node “{v.model.trainNode}”</span></td>
              <td><Metrics v={v} /></td>
              <td><Lineage v={v} /></td>
              <td>{v.card ? <button className="link-button" onClick={() => void showCard(path, v)} data-testid={`card-${v.id}`} title={v.card}>Model card</button> : <span className="muted">–</span>}</td>
              <td>
                {v.stage !== 'production' && (
                  <button className="button" onClick={() => setPending({ action: 'promote', version: v.id })} data-testid={`promote-${v.id}`}>Promote…</button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <AuditTrail entries={view.audit} />
    </div>
  );
}

function Metrics({ v }: { v: RegisteredModel }) {
  // The first three of the run's metrics in the row; every one on hover.
  const all = Object.entries(v.lineage.metrics).flatMap(([node, m]) => Object.entries(m).map(([k, x]) => [`${node}.${k}`, k, x] as const));
  if (!all.length) return <span className="muted">–</span>;
  return (
    <span title={all.map(([name, k, x]) => `${name} = ${formatNamedMetric(k, x)}`).join('\n')}>
      {all.slice(0, 3).map(([name, k, x]) => <span key={name} className="models__metric">{name} <strong>{formatNamedMetric(k, x)}</strong></span>)}
    </span>
  );
}

function Lineage({ v }: { v: RegisteredModel }) {
  const { runId, pipeline, data } = v.lineage;
  return (
    <span className="models__lineage">
      <span title={runId ?? undefined}>{runId ?? 'run –'}</span>
      <span title={pipeline.hash ?? undefined}>pipeline {pipeline.hash ? `${pipeline.hash.slice(0, 12)}…` : '–'}</span>
      <span title={data.map((d) => `${d.path}  sha256 ${d.hash}`).join('\n')}>data {data.map((d) => d.path).join(', ') || '–'}</span>
    </span>
  );
}

async function showCard(path: string | undefined, v: RegisteredModel): Promise<void> {
  try {
    const card = await api().modelCard(path, v.id);
    useUiStore.getState().openDialog({ kind: 'html', title: `Model card of ${v.id}`, file: card.file, html: card.html });
  } catch (e) {
    useUiStore.getState().toast(`Could not open the model card: ${errorInfoOf(e).message}`, 'error');
  }
}

/** Promote and Rollback need a reason: the audit trail records why. */
function ReasonForm({ pending, path, production, onDone, onCancel }: { pending: Pending; path: string | undefined; production?: string; onDone: (r: ModelStageResult) => void; onCancel: () => void }) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const what = pending.action === 'promote' ? `Promote ${pending.version} to production${production ? ` (${production} is archived)` : ''}` : `Roll back: archive ${production} and put the previous production version back`;
  const submit = async () => {
    setBusy(true);
    try {
      onDone(pending.action === 'promote' ? await api().promoteModel(path, pending.version, reason) : await api().rollbackModel(path, reason));
    } catch (e) {
      setError(errorInfoOf(e).message);
      setBusy(false);
    }
  };
  return (
    <form className="models__reason" data-testid="models-reason-form" onSubmit={(e) => (e.preventDefault(), void submit())}>
      <strong>{what}</strong>
      <input className="input" autoFocus placeholder="Why? (recorded in the audit trail)" aria-label="Reason" value={reason} onChange={(e) => setReason(e.target.value)} data-testid="models-reason" />
      <button className="button button--primary" type="submit" disabled={busy || !reason.trim()} data-testid="models-confirm">{pending.action === 'promote' ? 'Promote' : 'Roll back'}</button>
      <button className="button" type="button" onClick={onCancel}>Cancel</button>
      {error && <p className="error-box" role="alert">{error}</p>}
    </form>
  );
}

function Outcome({ r, onClose }: { r: ModelStageResult; onClose: () => void }) {
  if (!r.ok) {
    return (
      <div className="error-box models__outcome" role="alert" data-testid="models-refused">
        <strong>{r.version} was not promoted: a gate refused it.</strong>
        <ul>{r.refusal.map((line) => <li key={line}>✗ {line}</li>)}</ul>
        <button className="link-button" onClick={onClose}>Dismiss</button>
      </div>
    );
  }
  const text = r.action === 'promote' ? `${r.version} is in production${r.archived ? `; ${r.archived} archived` : ''} (${r.gates.length} gate${r.gates.length === 1 ? '' : 's'} passed).` : `${r.version} is in production again; ${r.archived} archived.`;
  return (
    <p className="warning-box models__outcome models__outcome--ok" role="status" data-testid="models-done">
      {text} <button className="link-button" onClick={onClose}>Dismiss</button>
    </p>
  );
}

function AuditTrail({ entries }: { entries: AuditEntry[] }) {
  return (
    <div className="models__audit">
      <h4>Audit trail</h4>
      <table className="runs" data-testid="models-audit">
        <thead><tr><th>When</th><th>Who</th><th>Action</th><th>Version</th><th>Stages</th><th>Why</th><th>Gates</th></tr></thead>
        <tbody>
          {[...entries].reverse().map((e, i) => (
            <tr key={`${e.at}-${i}`}>
              <td>{formatDateTime(e.at)}</td>
              <td>{e.who}</td>
              <td className={e.action === 'promote-refused' ? 'status--error' : undefined}>{e.action}</td>
              <td>{e.version}</td>
              <td>{e.changes.map((c) => `${c.version} ${c.from ?? 'new'} → ${c.to}`).join(', ')}</td>
              <td>{e.reason ?? ''}</td>
              <td>{e.gates?.map((g) => <span key={g.gate} className={g.passed ? 'status--done' : 'status--error'} title={g.message}>{g.passed ? '✓' : '✗'} {g.gate} </span>)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
