/**
 * The Export dialog's Docker serving bundle: the bundle's options (the Export Docker node's own
 * params, read from the catalog: one declaration for the node, the CLI and this form), then each
 * model's verification report, where the folder and the .zip went and how to run them.
 */
import { useState, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { DockerExportRequest, DockerExportSummary } from '../../../core/host/api.ts';
import { isDirty, useDocStore } from '../store/use-doc-store.ts';
import { exportDockerBundle, otherModelNodes, saveThenExportDocker, type DockerExportOutcome } from './export-actions.ts';
import { ExportButtons, Report } from './ExportOnnx.tsx';

interface PropSchema {
  type?: string;
  enum?: string[];
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
}

/** The Export Docker node's params, as the catalog describes them (JSON Schema). */
function useBundleParams(): Record<string, PropSchema> {
  const schema = useDocStore((s) => s.catalog.get('export.docker')?.paramsSchema);
  return ((schema?.properties as Record<string, PropSchema> | undefined) ?? {});
}

function Option({ label, schema, value, onChange, testId }: { label: string; schema: PropSchema | undefined; value: string; onChange: (v: string) => void; testId: string }) {
  if (!schema) return null;
  return (
    <label className="export-option">
      <span>{label}</span>
      {schema.enum ? (
        <select className="input" value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
          {schema.enum.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      ) : (
        <input className="input" type="number" min={schema.minimum} max={schema.maximum} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId} />
      )}
      {schema.description && <small className="muted">{schema.description}</small>}
    </label>
  );
}

function Summary({ s }: { s: DockerExportSummary }) {
  const name = s.dir.split(/[\\/]/).pop() ?? 'bundle';
  return (
    <>
      <div className="export-status export-status--ok" data-testid="export-status">✓ Serving bundle written: every model verified against Flowline’s own predictions, golden requests checked</div>
      <table className="export-report">
        <tbody>
          <tr>
            <th>Folder</th>
            <td>
              <code data-testid="docker-dir">{s.dir}</code>
            </td>
          </tr>
          {s.zip && (
            <tr>
              <th>Zip</th>
              <td>
                <code data-testid="docker-zip">{s.zip}</code>
              </td>
            </tr>
          )}
          {s.models.length > 1 && (
            <tr>
              <th>Routing</th>
              <td data-testid="docker-routing">{s.routing}</td>
            </tr>
          )}
        </tbody>
      </table>
      {s.models.map((m) => (
        <section key={m.role} data-testid={`docker-model-${m.role}`}>
          <p className="export-model">
            <b>{m.role === 'champion' ? 'Champion' : 'Challenger'}</b> <code>{m.name}</code> <span className="muted">version {m.version}, {m.task}</span>
          </p>
          {m.verification ? <Report v={m.verification} testId={`docker-report-${m.role}`} /> : <p className="muted">Kept from the bundle as it was.</p>}
        </section>
      ))}
      <h3>Run it</h3>
      <pre className="export-commands" data-testid="docker-commands">{`cd ${s.dir}\nnpm ci && node server.js          # :8080, or\ndocker build -t ${name} . && docker run --rm -p 8080:8080 ${name}`}</pre>
      <details>
        <summary>Files ({s.files.length})</summary>
        <ul className="export-io">
          {s.files.map((f) => (
            <li key={f}>
              <code>{f}</code>
            </li>
          ))}
        </ul>
      </details>
    </>
  );
}

export function ExportDocker({ nodeId, exact, onClose, options }: { nodeId: string; exact: boolean; onClose: () => void; options: (busy: boolean) => ReactNode }) {
  const params = useBundleParams();
  const { path, dirty, others } = useDocStore(useShallow((s) => ({ path: s.path, dirty: isDirty(s), others: otherModelNodes(nodeId).join('\n') })));
  const initial = (name: string) => String(params[name]?.default ?? '');
  const [out, setOut] = useState(`${nodeId}-bundle`);
  const [challenger, setChallenger] = useState('');
  const [routing, setRouting] = useState(initial('routing'));
  const [percent, setPercent] = useState(initial('challenger_percent'));
  const [unknownCategory, setUnknownCategory] = useState(initial('unknown_category'));
  const [extraFields, setExtraFields] = useState(initial('extra_fields'));
  const [maxRows, setMaxRows] = useState(initial('max_rows'));
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<DockerExportOutcome | null>(null);
  const unsaved = !path || dirty;
  const go = async () => {
    setBusy(true);
    setOutcome(null);
    const request: Omit<DockerExportRequest, 'path'> = {
      node: nodeId,
      out: out.trim() || `${nodeId}-bundle`,
      exact,
      ...(unknownCategory ? { unknownCategory: unknownCategory as 'accept' | 'reject' } : {}),
      ...(extraFields ? { extraFields: extraFields as 'ignore' | 'reject' } : {}),
      ...(maxRows ? { maxRows: Number(maxRows) } : {}),
      ...(challenger ? { challenger, ...(routing ? { routing: routing as 'ab' | 'canary' | 'shadow' } : {}), ...(percent !== '' ? { challengerPercent: Number(percent) } : {}) } : {}),
    };
    setOutcome(await exportDockerBundle(request));
    setBusy(false);
  };
  return (
    <>
      {!outcome && (
        <>
          {options(busy)}
          {unsaved && (
            <div className="stale-note" data-testid="docker-unsaved">
              {path ? 'The bundle is built from the saved file: your unsaved changes would not be in it.' : 'The bundle is built from the pipeline’s file, which it records as the models’ lineage: save the pipeline first.'}{' '}
              <button className="button" onClick={() => void saveThenExportDocker(nodeId)} data-testid="docker-save">
                {path ? 'Save' : 'Save as…'}
              </button>
            </div>
          )}
          <fieldset className="export-options" disabled={busy}>
            <label className="export-option">
              <span>Folder</span>
              <input className="input" value={out} onChange={(e) => setOut(e.target.value)} aria-label="Bundle folder" data-testid="docker-out" />
              <small className="muted">Relative to the pipeline’s folder; an earlier bundle there is replaced. A .zip of it is written beside.</small>
            </label>
            <label className="export-option">
              <span>Challenger</span>
              <select className="input" value={challenger} onChange={(e) => setChallenger(e.target.value)} data-testid="docker-challenger" disabled={!others}>
                <option value="">none: serve this model alone</option>
                {others.split('\n').filter(Boolean).map((id) => (
                  <option key={id} value={id}>
                    {id}
                  </option>
                ))}
              </select>
              <small className="muted">Another model of this pipeline to compare with this one (the champion) before switching.</small>
            </label>
            {challenger && <Option label="Routing" schema={params.routing} value={routing} onChange={setRouting} testId="docker-routing-input" />}
            {challenger && routing !== 'shadow' && <Option label="Challenger share (%)" schema={params.challenger_percent} value={percent} onChange={setPercent} testId="docker-percent" />}
            <Option label="Unknown category" schema={params.unknown_category} value={unknownCategory} onChange={setUnknownCategory} testId="docker-unknown-category" />
            <Option label="Extra fields" schema={params.extra_fields} value={extraFields} onChange={setExtraFields} testId="docker-extra-fields" />
            <Option label="Most rows per request" schema={params.max_rows} value={maxRows} onChange={setMaxRows} testId="docker-max-rows" />
          </fieldset>
        </>
      )}
      {busy && (
        <p className="export-busy" data-testid="export-busy" role="status">
          Reading the models from the saved pipeline, exporting and verifying each, checking the golden requests…
        </p>
      )}
      {outcome && !outcome.ok && (
        <>
          <div className="export-status export-status--bad" data-testid="export-status">✗ Export refused — no bundle was written</div>
          <div className="error-box" data-testid="export-error">
            {outcome.error.message}
            {outcome.error.hint && <p>{outcome.error.hint}</p>}
          </div>
        </>
      )}
      {outcome?.ok && <Summary s={outcome.summary} />}
      <ExportButtons result={!!outcome} onBack={() => setOutcome(null)} onClose={onClose} submit={{ label: 'Export bundle', disabled: busy || unsaved, run: () => void go() }} />
    </>
  );
}
