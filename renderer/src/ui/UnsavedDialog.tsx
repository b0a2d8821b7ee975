import { useShallow } from 'zustand/react/shallow';
import { useDocStore } from '../store/use-doc-store.ts';
import { answerUnsaved } from '../store/files.ts';
import { Modal } from './Modal.tsx';

/** Save · Don't save · Cancel, before unsaved work would be replaced or the window closed. */
export function UnsavedDialog({ action, resolve }: { action: string; resolve: (ok: boolean) => void }) {
  const { name, path } = useDocStore(useShallow((s) => ({ name: s.pipeline.name, path: s.path })));
  const answer = (a: 'save' | 'discard' | 'cancel') => void answerUnsaved(a, resolve);
  return (
    <Modal title="Save your changes?" onClose={() => answer('cancel')} testId="unsaved-dialog">
      <p>
        <strong>{name}</strong> has changes that are not saved. Save them before you {action}?
      </p>
      <p className="muted">{path ? `They go to ${path}.` : 'It has not been saved yet: Save asks where.'} If you don’t save, the changes are lost.</p>
      <div className="row row--end">
        <button className="button button--primary" autoFocus onClick={() => answer('save')} data-testid="unsaved-save">Save</button>
        <button className="button" onClick={() => answer('discard')} data-testid="unsaved-discard">Don’t save</button>
        <button className="button" onClick={() => answer('cancel')} data-testid="unsaved-cancel">Cancel</button>
      </div>
    </Modal>
  );
}
