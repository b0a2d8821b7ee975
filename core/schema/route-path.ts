/**
 * Drawing an edge along Tidy's route (layout.routes): from the source handle, along the lane ELK
 * kept clear of every card, to the target handle, with rounded corners. The studio's canvas
 * (RoutedEdge.tsx) and the run report's diagram (core/report/diagram.ts) draw the same path.
 */
export type Point = { x: number; y: number };

/**
 * The route an edge is drawn along: ELK's lane (`lane`: its start on the source card's side, its
 * bends, its end on the target card's side), joined to the handles. ELK attached the edge where
 * it chose on each side, the handle sits elsewhere, so the edge steps from the handle's height to
 * the lane's just outside the card, in the gap between two layers where no card is, and the lane
 * itself, which ELK kept clear of every card, is drawn as it is.
 */
export function routeThrough(source: Point, lane: Point[], target: Point): Point[] {
  if (lane.length < 2) return [source, target];
  const start = lane[0];
  const end = lane[lane.length - 1];
  const out: Point[] = [source];
  if (Math.abs(source.y - start.y) >= 1) {
    const x0 = Math.max(source.x, start.x);
    const x = x0 + Math.max(0, Math.min(STEP, (lane[1].x - x0) / 2));
    out.push({ x, y: source.y }, { x, y: start.y });
  }
  out.push(...lane.slice(1, -1));
  if (Math.abs(target.y - end.y) >= 1) {
    const x1 = Math.min(target.x, end.x);
    const x = x1 - Math.max(0, Math.min(STEP, (x1 - lane[lane.length - 2].x) / 2));
    out.push({ x, y: end.y }, { x, y: target.y });
  }
  out.push(target);
  return withoutStraightJoints(out);
}

/** How far outside a card an edge steps from its handle's height to ELK's lane. */
const STEP = 12;

/** Drop points where a run goes on straight (and repeats), so every corner left is a real turn. */
function withoutStraightJoints(points: Point[]): Point[] {
  const out: Point[] = [];
  for (const p of points) {
    const [a, b] = [out[out.length - 2], out[out.length - 1]];
    if (b && Math.abs(p.x - b.x) < 0.5 && Math.abs(p.y - b.y) < 0.5) continue;
    if (a && ((Math.abs(a.x - b.x) < 0.5 && Math.abs(b.x - p.x) < 0.5) || (Math.abs(a.y - b.y) < 0.5 && Math.abs(b.y - p.y) < 0.5))) out[out.length - 1] = p;
    else out.push(p);
  }
  return out;
}

/** An SVG path through `points` with each corner rounded (radius at most half of either run). */
export function roundedPath(points: Point[], radius = 10): string {
  if (points.length < 2) return '';
  let d = `M ${points[0].x} ${points[0].y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const [a, c, b] = [points[i - 1], points[i], points[i + 1]];
    const r = Math.min(radius, Math.hypot(c.x - a.x, c.y - a.y) / 2, Math.hypot(b.x - c.x, b.y - c.y) / 2);
    if (r < 0.5) {
      d += ` L ${c.x} ${c.y}`;
      continue;
    }
    const towards = (p: Point, q: Point, dist: number) => {
      const len = Math.hypot(q.x - p.x, q.y - p.y) || 1;
      return { x: p.x + ((q.x - p.x) * dist) / len, y: p.y + ((q.y - p.y) * dist) / len };
    };
    const before = towards(c, a, r);
    const after = towards(c, b, r);
    d += ` L ${before.x} ${before.y} Q ${c.x} ${c.y} ${after.x} ${after.y}`;
  }
  const last = points[points.length - 1];
  return `${d} L ${last.x} ${last.y}`;
}
