import { useMemo, useRef, useState } from 'react';
import Editor from '@monaco-editor/react';
import { monaco } from './monaco-setup.ts';
import { parsePipeline, pipelineJsonSchema, serializePipeline } from '../../../core/schema/index.ts';
import { useDocStore } from '../store/use-doc-store.ts';
import { useUiStore } from '../store/use-ui-store.ts';
import { replacePipeline } from '../store/commands.ts';
import { errorInfoOf } from '../api/client.ts';

const MODEL_URI = 'inmemory://flowline/pipeline.flow.json';
let schemaSet = false;

/** The raw pipeline file in Monaco, checked against the pipeline JSON Schema; Apply replaces the document. */
export default function JsonView() {
  const pipeline = useDocStore((s) => s.pipeline);
  const theme = useUiStore((s) => s.theme);
  const original = useMemo(() => serializePipeline(pipeline), [pipeline]);
  const [problem, setProblem] = useState<string | null>(null);
  const [changed, setChanged] = useState(false);
  const text = useRef(original);
  if (!schemaSet) {
    schemaSet = true;
    monaco.json.jsonDefaults.setDiagnosticsOptions({
      validate: true,
      allowComments: false,
      schemas: [{ uri: 'flowline://pipeline.schema.json', fileMatch: [MODEL_URI], schema: pipelineJsonSchema() as object }],
    });
  }
  const apply = () => {
    try {
      const next = parsePipeline(text.current);
      replacePipeline(next);
      setProblem(null);
      setChanged(false);
    } catch (e) {
      setProblem(errorInfoOf(e).message);
    }
  };
  return (
    <div className="json-view" data-testid="json-view">
      <div className="json-view__bar">
        <span className="muted">Edit the file directly; Apply checks it and makes it one undoable step.</span>
        <button className="button button--primary" onClick={apply} disabled={!changed} data-testid="json-apply">Apply</button>
        <button className="button" onClick={() => useUiStore.getState().setView('canvas')}>Back to canvas</button>
      </div>
      {problem && <pre className="error-box" role="alert">{problem}</pre>}
      <Editor
        path={MODEL_URI}
        language="json"
        value={original}
        theme={theme === 'dark' ? 'vs-dark' : 'vs'}
        options={{ minimap: { enabled: false }, fontSize: 12, tabSize: 2, automaticLayout: true, scrollBeyondLastLine: false }}
        onChange={(v) => {
          text.current = v ?? '';
          setChanged(text.current !== original);
        }}
      />
    </div>
  );
}
