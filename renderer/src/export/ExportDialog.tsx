/**
 * The Export dialog of a model-producing node: one verified ONNX file, or a Docker serving bundle
 * (docs/serving-bundle.md). The target (default or exact) is shared; each format has its options,
 * its verification report and where the files went.
 */
import { useState } from 'react';
import { Modal } from '../ui/Modal.tsx';
import { useUiStore } from '../store/use-ui-store.ts';
import { ExportOnnx } from './ExportOnnx.tsx';
import { ExportDocker } from './ExportDocker.tsx';

type Format = 'onnx' | 'docker';

function Choices({ format, setFormat, exact, setExact, busy }: { format: Format; setFormat: (f: Format) => void; exact: boolean; setExact: (e: boolean) => void; busy: boolean }) {
  return (
    <>
      <fieldset className="export-targets" disabled={busy}>
        <legend>What to export</legend>
        <label>
          <input type="radio" name="format" checked={format === 'onnx'} onChange={() => setFormat('onnx')} data-testid="export-format-onnx" /> <b>ONNX file</b>
          <span className="muted"> — feature steps and learner in one file that takes the raw columns</span>
        </label>
        <label>
          <input type="radio" name="format" checked={format === 'docker'} onChange={() => setFormat('docker')} data-testid="export-format-docker" /> <b>Docker serving bundle</b>
          <span className="muted"> — the ONNX file with a model server (KServe v2, MLflow /invocations, /predict, /metrics), a Dockerfile, OpenAPI and golden requests</span>
        </label>
      </fieldset>
      <fieldset className="export-targets" disabled={busy}>
        <legend>Target</legend>
        <label>
          <input type="radio" name="target" checked={!exact} onChange={() => setExact(false)} data-testid="export-default" /> <b>Default</b>
          <span className="muted"> — opset 17: runs on any ONNX runtime; trees return float32</span>
        </label>
        <label>
          <input type="radio" name="target" checked={exact} onChange={() => setExact(true)} data-testid="export-exact" /> <b>Exact</b>
          <span className="muted"> — opset 21: double-precision trees, bit-identical to Flowline; needs onnxruntime 1.20+</span>
        </label>
      </fieldset>
    </>
  );
}

export function ExportDialog({ nodeId, format: initial }: { nodeId: string; format: Format }) {
  const [format, setFormat] = useState<Format>(initial);
  const [exact, setExact] = useState(false);
  const close = () => useUiStore.getState().openDialog(null);
  const options = (busy: boolean) => <Choices format={format} setFormat={setFormat} exact={exact} setExact={setExact} busy={busy} />;
  return (
    <Modal title={`Export ‘${nodeId}’`} onClose={close} testId="export-dialog" wide>
      {format === 'onnx' ? <ExportOnnx nodeId={nodeId} exact={exact} onClose={close} options={options} /> : <ExportDocker nodeId={nodeId} exact={exact} onClose={close} options={options} />}
    </Modal>
  );
}
