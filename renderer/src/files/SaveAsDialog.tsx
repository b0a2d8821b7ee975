import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Modal } from '../ui/Modal.tsx';
import { useUiStore } from '../store/use-ui-store.ts';
import { useDocStore } from '../store/use-doc-store.ts';
import { saveTo } from '../store/files.ts';
import { FileBrowser } from './FileBrowser.tsx';
import { fileSlug } from '../lib/format.ts';


/** `then` hears whether the pipeline was saved (after "Save" in the unsaved-changes dialog). */
export function SaveAsDialog({ then }: { then?: (saved: boolean) => void }) {
  const { path, name } = useDocStore(useShallow((s) => ({ path: s.path, name: s.pipeline.name })));
  const [dir, setDir] = useState(path ? path.replace(/[\\/][^\\/]*$/, '') : '');
  const [file, setFile] = useState(path ? path.split(/[\\/]/).pop()! : `${fileSlug(name)}.flow.json`);
  const close = () => {
    useUiStore.getState().openDialog(null);
    then?.(false);
  };
  const target = file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file) ? file : `${dir.replace(/\/$/, '')}/${file}`;
  return (
    <Modal title="Save the pipeline as" onClose={close} testId="save-as-dialog" wide>
      <FileBrowser start={dir} extensions={['json']} onPick={(p) => setFile(p.split('/').pop()!)} pickDirs={setDir} />
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (file.trim()) void saveTo(target).then((saved) => saved && then?.(true));
        }}
      >
        <input className="input" autoFocus aria-label="File name or full path" value={file} onChange={(e) => setFile(e.target.value)} data-testid="save-path" />
        <button className="button button--primary" type="submit" disabled={!file.trim()} data-testid="save-submit">Save</button>
      </form>
      <p className="muted">Saves to <code>{target}</code></p>
    </Modal>
  );
}
