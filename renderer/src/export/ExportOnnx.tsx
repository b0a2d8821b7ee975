/**
 * The Export dialog's ONNX file: choose the file, export, and read the verification report — how
 * the file's predictions compared with the app's own on held-out rows (plus rows with missing
 * values and unseen categories) — or why the export was refused.
 */
import { useState, type ReactNode } from 'react';
import type { OnnxExportResult, OnnxVerification } from '../../../core/host/api.ts';
import { exportOnnx } from './export-actions.ts';

const sci = (x: number) => (x === 0 ? '0' : x < 1e-3 || x >= 1e4 ? x.toExponential(1) : x.toPrecision(3));
const size = (bytes: number) => (bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(2)} MB`);
const ms = (x: number) => (x < 1000 ? `${Math.round(x)} ms` : `${(x / 1000).toFixed(1)} s`);

/** How an exported model's predictions compared with the app's own (the ONNX and the Docker export show it). */
export function Report({ v, testId = 'export-report' }: { v: OnnxVerification; testId?: string }) {
  return (
    <table className="export-report" data-testid={testId}>
      <tbody>
        <tr>
          <th>Rows compared</th>
          <td>
            <b>{v.rows}</b>: {v.heldOutRows} {v.rowSource}, plus {v.missingRows} with an input missing and {v.unseenRows} with a category never seen in training
          </td>
        </tr>
        {v.labelsAgree !== undefined && (
          <tr>
            <th>Labels agree</th>
            <td className={v.labelsAgree === v.rows ? 'ok' : 'bad'} data-testid={`${testId}-labels`}>
              {v.labelsAgree} of {v.rows} rows
            </td>
          </tr>
        )}
        <tr>
          <th>Largest difference</th>
          <td className={v.passed ? 'ok' : 'bad'} data-testid={`${testId}-maxdiff`}>
            {sci(v.maxAbsDiff)} absolute, {sci(v.maxRelDiff)} relative <span className="muted">(allowed {sci(v.tolerance)})</span>
          </td>
        </tr>
        <tr>
          <th>Bit-identical</th>
          <td>
            {v.bitIdentical ? 'yes' : 'no'}
            {!v.bitIdentical && v.whyNotIdentical && <span className="muted"> — {v.whyNotIdentical}</span>}
          </td>
        </tr>
        {v.worst && !v.bitIdentical && (
          <tr>
            <th>Worst row</th>
            <td className="muted">
              row {v.worst.row + 1}, {v.worst.output}: app {String(v.worst.app)}, ONNX {String(v.worst.onnx)}
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

function Result({ r }: { r: OnnxExportResult }) {
  if (!r.ok) {
    return (
      <>
        <div className="export-status export-status--bad" data-testid="export-status">✗ Export refused — no file was written</div>
        {r.error && (
          <div className="error-box" data-testid="export-error">
            {r.error.message}
            {r.error.hint && <p>{r.error.hint}</p>}
          </div>
        )}
        {r.verification && <Report v={r.verification} />}
      </>
    );
  }
  return (
    <>
      <div className="export-status export-status--ok" data-testid="export-status">✓ Exported and verified against Flowline’s own predictions</div>
      <p>
        <code data-testid="export-file">{r.file}</code> <span className="muted">({size(r.sizeBytes ?? 0)}, {r.target} target: opset {r.opset} + ai.onnx.ml {r.mlOpset}, {ms(r.durationMs)})</span>
      </p>
      {r.verification && <Report v={r.verification} />}
      <details>
        <summary>
          Inputs ({r.inputs?.length}) and outputs of the model
        </summary>
        <p className="muted">One input per raw column, shape [N, 1]; missing numbers are NaN, missing text is "".</p>
        <ul className="export-io">
          {r.inputs?.map((i) => (
            <li key={i.name}>
              <code>{i.name}</code> <span className="muted">{i.type}</span>
            </li>
          ))}
          {r.outputs?.map((o) => (
            <li key={o.name}>
              → <code>{o.name}</code> <span className="muted">{o.type} [{o.shape.join(', ')}]</span>
            </li>
          ))}
        </ul>
      </details>
    </>
  );
}

/** The Export buttons row: Back (after a result), Close, and the primary action (before one). */
export function ExportButtons({ result, onBack, onClose, submit }: { result: boolean; onBack: () => void; onClose: () => void; submit: { label: string; disabled: boolean; run: () => void } }) {
  return (
    <div className="row row--end">
      {result && (
        <button className="button" onClick={onBack} data-testid="export-again">
          Back
        </button>
      )}
      <button className="button" onClick={onClose} data-testid="export-close">
        Close
      </button>
      {!result && (
        <button className="button button--primary" onClick={submit.run} disabled={submit.disabled} data-testid="export-submit">
          {submit.label}
        </button>
      )}
    </div>
  );
}

export function ExportOnnx({ nodeId, exact, onClose, options }: { nodeId: string; exact: boolean; onClose: () => void; options: (busy: boolean) => ReactNode }) {
  const [out, setOut] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<OnnxExportResult | null>(null);
  const go = async () => {
    setBusy(true);
    setResult(null);
    setResult(await exportOnnx(nodeId, { exact, out: out.trim() || undefined }));
    setBusy(false);
  };
  return (
    <>
      {!result && (
        <>
          {options(busy)}
          <p className="muted">The model’s feature steps and learner as one ONNX file that takes the raw columns. It is checked against Flowline’s own predictions before it is written.</p>
          <label className="row">
            <span>File</span>
            <input className="input" value={out} onChange={(e) => setOut(e.target.value)} placeholder={`${nodeId}.onnx beside the pipeline`} aria-label="Output file" data-testid="export-out" disabled={busy} />
          </label>
        </>
      )}
      {busy && (
        <p className="export-busy" data-testid="export-busy" role="status">
          Running the pipeline up to what scores the model, exporting and verifying…
        </p>
      )}
      {result && <Result r={result} />}
      <ExportButtons result={!!result} onBack={() => setResult(null)} onClose={onClose} submit={{ label: 'Export', disabled: busy, run: () => void go() }} />
    </>
  );
}
