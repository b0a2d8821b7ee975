import { useEffect, useState } from 'react';
import { api } from '../api/host.ts';
import { useHostRead } from '../api/use-host-read.ts';
import { useUiStore } from '../store/use-ui-store.ts';
import { Icon } from '../ui/Icon.tsx';

const join = (dir: string, name: string) => (dir.endsWith('/') ? dir + name : `${dir}/${name}`);
const parent = (dir: string) => dir.replace(/\/[^/]*\/?$/, '') || '/';

const PIPELINE = '.flow.json';

/** A file is offered when its name ends with one of `extensions`; a pipeline file only when asked for by name (it is never data). */
function offered(name: string, extensions: string[] | undefined): boolean {
  const lower = name.toLowerCase();
  if (!extensions?.length) return true;
  if (lower.endsWith(PIPELINE) && !extensions.includes(PIPELINE.slice(1))) return false;
  return extensions.some((x) => lower.endsWith(`.${x.toLowerCase()}`));
}

/** A server-side directory listing (api.listDirectory): folders open, files are picked. */
export function FileBrowser({ start, extensions, onPick, pickDirs }: { start: string; extensions?: string[]; onPick: (path: string) => void; pickDirs?: (dir: string) => void }) {
  const cwd = useUiStore((s) => s.cwd);
  const [dir, setDir] = useState(start || cwd || '/');
  const { value: listing, error } = useHostRead(() => api().listDirectory(dir), [dir]);
  // pickDirs is a notification of each folder listed; re-listing when it changes identity would be wasted work.
  useEffect(() => {
    if (listing) pickDirs?.(listing.path);
  }, [listing]);
  const shown = listing?.entries.filter((e) => e.dir || offered(e.name, extensions)) ?? [];
  return (
    <div className="file-browser" data-testid="file-browser">
      <div className="file-browser__path">
        <button type="button" className="button" onClick={() => listing && setDir(parent(listing.path))} aria-label="Up one folder"><Icon name="up" /></button>
        <code title={listing?.path}>{listing?.path ?? dir}</code>
      </div>
      {error && <p className="field__error">{error}</p>}
      <ul className="file-browser__list">
        {shown.map((e) => (
          <li key={e.name}>
            <button
              type="button"
              className="file-browser__item"
              data-testid={`file-entry-${e.name}`}
              onClick={() => (e.dir ? setDir(join(listing!.path, e.name)) : onPick(join(listing!.path, e.name)))}
            >
              <Icon name={e.dir ? 'folder' : 'file'} /> {e.name}
            </button>
          </li>
        ))}
        {listing && !shown.length && <li className="muted">Empty folder.</li>}
      </ul>
    </div>
  );
}
