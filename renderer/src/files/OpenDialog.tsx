import { useState } from 'react';
import { Modal } from '../ui/Modal.tsx';
import { useUiStore } from '../store/use-ui-store.ts';
import { useDocStore } from '../store/use-doc-store.ts';
import { openPath } from '../store/files.ts';
import { FileBrowser } from './FileBrowser.tsx';

const dirOf = (p: string) => p.replace(/[\\/][^\\/]*$/, '');

export function OpenDialog() {
  const current = useDocStore((s) => s.path);
  const [path, setPath] = useState('');
  const close = () => useUiStore.getState().openDialog(null);
  return (
    <Modal title="Open a pipeline" onClose={close} testId="open-dialog" wide>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (path.trim()) void openPath(path.trim());
        }}
      >
        <input className="input" autoFocus placeholder="/path/to/pipeline.flow.json" aria-label="Pipeline path" value={path} onChange={(e) => setPath(e.target.value)} data-testid="open-path" />
        <button className="button button--primary" type="submit" disabled={!path.trim()} data-testid="open-submit">Open</button>
      </form>
      <FileBrowser start={current ? dirOf(current) : ''} extensions={['flow.json']} onPick={(p) => void openPath(p)} />
    </Modal>
  );
}
