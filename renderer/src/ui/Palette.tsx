import { useMemo, useState } from 'react';
import { useReactFlow } from '@xyflow/react';
import { CATEGORIES } from '../../../core/spec/define-node.ts';
import type { CatalogNode } from '../../../core/host/api.ts';
import { useDocStore } from '../store/use-doc-store.ts';
import { addNode } from '../store/commands.ts';
import { CATEGORY_COLOR } from '../lib/colors.ts';
import { PALETTE_MIME } from '../canvas/FlowCanvas.tsx';

export function matches(node: CatalogNode, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return [node.title, node.type, node.description, node.category].some((t) => t.toLowerCase().includes(q));
}

/** Node palette: categories in pipeline order, search, drag onto the canvas or press Enter. */
export function Palette() {
  const catalog = useDocStore((s) => s.catalogList);
  const [query, setQuery] = useState('');
  const flow = useReactFlow();
  const groups = useMemo(
    () => CATEGORIES.map((c) => ({ category: c, nodes: catalog.filter((n) => n.category === c && matches(n, query)) })).filter((g) => g.nodes.length),
    [catalog, query],
  );

  const insertAtCentre = (type: string) => {
    const el = document.querySelector('.canvas');
    const r = el?.getBoundingClientRect();
    const at = r ? flow.screenToFlowPosition({ x: r.left + r.width / 2, y: r.top + r.height / 2 }) : { x: 0, y: 0 };
    const taken = useDocStore.getState().pipeline.layout.positions;
    // Nudge away from a node already sitting at the centre.
    let y = at.y - 40;
    while (Object.values(taken).some((p) => Math.abs(p.x - (at.x - 110)) < 40 && Math.abs(p.y - y) < 40)) y += 130;
    addNode(type, { x: at.x - 110, y });
  };

  return (
    <aside className="palette" aria-label="Node palette" data-testid="palette">
      <input
        className="input palette__search"
        type="search"
        placeholder="Search nodes"
        aria-label="Search nodes"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        data-testid="palette-search"
        onKeyDown={(e) => {
          if (e.key === 'Enter' && groups[0]?.nodes[0]) insertAtCentre(groups[0].nodes[0].type);
        }}
      />
      <div className="palette__list">
        {groups.map((g) => (
          <section key={g.category} className="palette__group">
            <h3 className="palette__heading" style={{ borderColor: CATEGORY_COLOR[g.category] }}>{g.category}</h3>
            {g.nodes.map((n) => (
              <button
                key={n.type}
                className="palette__item"
                draggable
                onDragStart={(e) => {
                  e.dataTransfer.setData(PALETTE_MIME, n.type);
                  e.dataTransfer.effectAllowed = 'copy';
                }}
                onClick={() => insertAtCentre(n.type)}
                title={`${n.description}\nDrag onto the canvas, or press Enter to add it.`}
                data-testid={`palette-item-${n.type}`}
                style={{ borderLeftColor: CATEGORY_COLOR[n.category] }}
              >
                <span className="palette__title">{n.title}</span>
                <span className="palette__desc">{n.description}</span>
              </button>
            ))}
          </section>
        ))}
        {!groups.length && <p className="muted">No node matches “{query}”.</p>}
      </div>
    </aside>
  );
}
