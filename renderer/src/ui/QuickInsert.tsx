import { useMemo, useState } from 'react';
import { CATEGORIES } from '../../../core/spec/define-node.ts';
import { useDocStore } from '../store/use-doc-store.ts';
import { useUiStore } from '../store/use-ui-store.ts';
import { addNode } from '../store/commands.ts';
import { matches } from './Palette.tsx';
import { Modal } from './Modal.tsx';

/** Searchable node list at a canvas point (double-click or "/"). */
export function QuickInsert({ at }: { at: { x: number; y: number } }) {
  const catalog = useDocStore((s) => s.catalogList);
  const close = () => useUiStore.getState().openDialog(null);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const list = useMemo(
    () => catalog.filter((n) => matches(n, query)).sort((a, b) => CATEGORIES.indexOf(a.category) - CATEGORIES.indexOf(b.category)),
    [catalog, query],
  );
  const pick = (type: string) => {
    close();
    addNode(type, { x: at.x - 110, y: at.y - 30 });
  };
  return (
    <Modal title="Add a node" onClose={close} testId="quick-insert">
      <input
        className="input"
        autoFocus
        placeholder="Type to search…"
        aria-label="Search nodes to add"
        value={query}
        data-testid="quick-insert-search"
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, list.length - 1));
          else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
          else if (e.key === 'Enter' && list[active]) pick(list[active].type);
          else return;
          e.preventDefault();
        }}
      />
      <ul className="pick-list" role="listbox" aria-label="Nodes">
        {list.map((n, i) => (
          <li key={n.type} role="option" aria-selected={i === active}>
            <button className={`pick-list__item${i === active ? ' is-active' : ''}`} onClick={() => pick(n.type)} data-testid={`quick-insert-${n.type}`}>
              <strong>{n.title}</strong> <span className="muted">{n.category} · {n.type}</span>
            </button>
          </li>
        ))}
      </ul>
    </Modal>
  );
}
