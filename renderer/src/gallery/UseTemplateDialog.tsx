import { useState } from 'react';
import type { TemplateInfo } from '../../../core/host/api.ts';
import { api } from '../api/host.ts';
import { errorInfoOf } from '../api/client.ts';
import { FileBrowser } from '../files/FileBrowser.tsx';
import { openPath } from '../store/files.ts';
import { useUiStore } from '../store/use-ui-store.ts';
import { Modal } from '../ui/Modal.tsx';

/** "Use this template": pick a folder; the template and its data are copied there and the copy opens. */
export function UseTemplateDialog({ template, onClose }: { template: TemplateInfo; onClose: () => void }) {
  const cwd = useUiStore((s) => s.cwd);
  const [dir, setDir] = useState(cwd || '');
  const [sub, setSub] = useState(template.id);
  const [error, setError] = useState<string | null>(null);
  const target = sub.trim() ? `${dir.replace(/\/$/, '')}/${sub.trim()}` : dir;
  return (
    <Modal title={`Use "${template.name}"`} onClose={onClose} testId="use-template-dialog" wide>
      <p className="muted">Copies the pipeline and its data ({[`${template.id}.flow.json`, ...template.dataFiles].join(', ')}) into a folder; the original stays as it is.</p>
      <FileBrowser start={dir} onPick={() => {}} pickDirs={setDir} />
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          api()
            .copyTemplate(template.id, target)
            .then(async (copy) => {
              onClose();
              // The closing dialog and the gallery beneath it go before the copy opens.
              useUiStore.getState().openDialog(null);
              await openPath(copy.path);
            }, (err: unknown) => setError(errorInfoOf(err).message));
        }}
      >
        <label className="row">New folder <input className="input" aria-label="New folder name" value={sub} onChange={(e) => setSub(e.target.value)} data-testid="use-template-folder" /></label>
        <button className="button button--primary" type="submit" data-testid="use-template-submit">Copy here</button>
      </form>
      <p className="muted">Into <code data-testid="use-template-target">{target}</code></p>
      {error && <p className="field__error" role="alert">{error}</p>}
    </Modal>
  );
}
