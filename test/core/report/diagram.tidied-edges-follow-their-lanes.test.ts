/**
 * A run report's pipeline diagram draws an edge Tidy routed along its lane, as the canvas does, so
 * an edge that skips a column passes between the cards instead of through them; an edge whose
 * node was moved since Tidy gets the ordinary curve.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ELK from 'elkjs/lib/elk.bundled.js';
import { describe, expect, it } from 'vitest';
import { diagramSvg } from '../../../core/report/diagram.ts';
import { reportOfRun } from '../../../core/report/from-run.ts';
import { parsePipeline } from '../../../core/schema/index.ts';
import { edgeKey, splitEndpoint, type Pipeline } from '../../../core/schema/pipeline.ts';
import { roundedPath, routeThrough, type Point } from '../../../core/schema/route-path.ts';
import { NODES } from '../../../nodes/index.ts';
import { elkLayout } from '../../../renderer/src/lib/elk-layout.ts';

const REPO = join(import.meta.dirname, '../../..');
const elk = new ELK({ algorithms: ['layered'] });
/** The diagram's cards (core/report/diagram.ts); the canvas's are at least this big. */
const BOX = { width: 220, height: 58 };

async function tidied(): Promise<Pipeline> {
  const p = parsePipeline(readFileSync(join(REPO, 'templates/penguins-species.flow.json'), 'utf8'));
  const { positions, routes } = await elkLayout(p, () => ({ width: 220, height: 110 }), (g) => elk.layout(g));
  return { ...p, layout: { ...p.layout, positions, routes } };
}

async function edgePaths(p: Pipeline): Promise<Map<string, string>> {
  const report = await reportOfRun({
    pipeline: p,
    specs: NODES,
    summary: { runId: 'r', status: 'done', durationMs: 1, nodes: [], startedAt: '2026-12-05T00:00:00Z' },
    flowlineVersion: 'test',
  });
  const svg = diagramSvg(report.diagram!);
  return new Map([...svg.matchAll(/data-edge="([^"]+)" d="([^"]+)"/g)].map((m) => [m[1].replace(/&gt;/g, '>'), m[2]]));
}

/** Does the axis-parallel run a→b pass through the inside of a diagram card at `at`? */
function crosses(a: Point, b: Point, at: Point): boolean {
  const [x0, x1, y0, y1] = [at.x + 2, at.x + BOX.width - 2, at.y + 2, at.y + BOX.height - 2];
  if (Math.abs(a.y - b.y) < 0.5) return a.y > y0 && a.y < y1 && Math.max(a.x, b.x) > x0 && Math.min(a.x, b.x) < x1;
  return a.x > x0 && a.x < x1 && Math.max(a.y, b.y) > y0 && Math.min(a.y, b.y) < y1;
}

describe('the report diagram after Tidy', () => {
  it('draws every routed edge that bends along its lane, through no card but its own two', async () => {
    const p = await tidied();
    const paths = await edgePaths(p);
    const at = p.layout.positions;
    let bent = 0;
    for (const e of p.edges) {
      const [a, b] = [splitEndpoint(e.from).node, splitEndpoint(e.to).node];
      const lane = p.layout.routes![edgeKey(e)].points;
      if (lane.length === 2) {
        // A straight lane joins neighbouring columns: the ordinary curve.
        expect(paths.get(`${a}->${b}`)).toMatch(/^M[\d.-]+,[\d.-]+ C/);
        continue;
      }
      bent++;
      const points = routeThrough({ x: at[a].x + BOX.width, y: at[a].y + BOX.height / 2 }, lane, { x: at[b].x, y: at[b].y + BOX.height / 2 });
      expect(paths.get(`${a}->${b}`)).toBe(roundedPath(points));
      for (const [id, box] of Object.entries(at)) {
        if (id === a || id === b) continue;
        expect(points.some((q, i) => i > 0 && crosses(points[i - 1], q, box)), `${a}->${b} through ${id}`).toBe(false);
      }
    }
    // The template's split → train → evaluate detour bends (split.test → evaluate skips Train's column).
    expect(bent).toBeGreaterThan(0);
  });

  it('draws the ordinary curve for an edge whose node moved since Tidy', async () => {
    const p = await tidied();
    const bent = p.edges.find((e) => p.layout.routes![edgeKey(e)].points.length > 2)!;
    const moved = splitEndpoint(bent.to).node;
    p.layout.positions[moved] = { x: p.layout.positions[moved].x + 40, y: p.layout.positions[moved].y };
    const paths = await edgePaths(p);
    const d = paths.get(`${splitEndpoint(bent.from).node}->${moved}`)!;
    expect(d).toMatch(/^M[\d.-]+,[\d.-]+ C/);
  });
});
