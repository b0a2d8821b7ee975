import { useState } from 'react';
import type { ParamUi } from '../../../core/spec/define-node.ts';
import { useDocStore } from '../store/use-doc-store.ts';
import { FileBrowser } from '../files/FileBrowser.tsx';
import { api } from '../api/host.ts';

const dirOf = (p: string) => p.replace(/[\\/][^\\/]*$/, '') || '/';

/** Path relative to the pipeline's folder when it sits below it (how pipelines stay portable). */
export function relativeTo(base: string | null, path: string): string {
  if (!base) return path;
  const dir = dirOf(base);
  return path.startsWith(dir + '/') ? path.slice(dir.length + 1) : path;
}

export function FileField({ id, value, ui, onChange }: { id: string; value: string; ui: ParamUi; onChange: (v: string) => void }) {
  const [browsing, setBrowsing] = useState(false);
  const pipelinePath = useDocStore((s) => s.path);
  const extensions = ui.filters?.flatMap((f) => f.extensions);
  return (
    <>
      <div className="row">
        <input
          id={id}
          className="input"
          defaultValue={value}
          key={value}
          placeholder="path/to/file"
          onBlur={(e) => e.target.value !== value && onChange(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && (e.target as HTMLInputElement).blur()}
        />
        <button type="button" className="button" onClick={() => setBrowsing((b) => !b)} aria-expanded={browsing}>Browse…</button>
      </div>
      {browsing && (
        <FileBrowser
          start={pipelinePath ? dirOf(pipelinePath) : value ? dirOf(value) : ''}
          extensions={extensions}
          onPick={(p) => {
            setBrowsing(false);
            // A folder the user chose to save into: their pipelines may write there without asking.
            if (ui.save) void api().trustFolder(dirOf(p)).catch(() => undefined);
            onChange(relativeTo(pipelinePath, p));
          }}
        />
      )}
    </>
  );
}
