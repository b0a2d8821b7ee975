import type { TemplateInfo } from '../../../core/host/api.ts';

const W = 200, H = 80, BOX_W = 200, BOX_H = 60;

/** The pipeline drawn small from the template's canvas layout: a box per node (coloured by data / prep / ml), a line per edge. */
export function TemplateThumbnail({ preview }: { preview: TemplateInfo['preview'] }) {
  const { nodes, edges } = preview;
  if (!nodes.length) return null;
  const xs = nodes.map((n) => n.x), ys = nodes.map((n) => n.y);
  const minX = Math.min(...xs), minY = Math.min(...ys);
  const spanX = Math.max(...xs) - minX + BOX_W, spanY = Math.max(...ys) - minY + BOX_H;
  const k = Math.min((W - 8) / spanX, (H - 8) / spanY);
  const at = new Map(nodes.map((n) => [n.id, { x: 4 + (n.x - minX) * k, y: 4 + (n.y - minY) * k }]));
  const w = BOX_W * k, h = BOX_H * k;
  return (
    <svg className="template-thumb" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Pipeline of ${nodes.length} nodes`}>
      {edges.map(([a, b], i) => {
        const p = at.get(a), q = at.get(b);
        return p && q ? <line key={i} x1={p.x + w} y1={p.y + h / 2} x2={q.x} y2={q.y + h / 2} className="template-thumb__edge" /> : null;
      })}
      {nodes.map((n) => {
        const p = at.get(n.id)!;
        return <rect key={n.id} x={p.x} y={p.y} width={w} height={h} rx={Math.min(3, h / 4)} className={`template-thumb__node template-thumb__node--${n.group}`}><title>{n.id}</title></rect>;
      })}
    </svg>
  );
}
