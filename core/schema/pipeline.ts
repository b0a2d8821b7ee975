import { z } from 'zod';
import { Gate } from './gates.ts';

/** The pipeline file format this build writes. Older files migrate on load; newer ones are refused. */
export const FORMAT = 'flowline.pipeline';
export const CURRENT_VERSION = 2;

export const NODE_ID = /^[A-Za-z_][A-Za-z0-9_-]*$/;

const nodeId = z.string().regex(NODE_ID, 'a node id is letters, digits, "_" or "-", starting with a letter or "_"');

/**
 * How deep a param value may nest (objects and arrays). Real params nest a few levels (a search
 * space: 3); a file nesting thousands deep would overflow the stack of every recursive walk after
 * validation (saving, hashing, JSON.stringify at about 5,000), so it is refused here, by name.
 */
export const MAX_PARAM_DEPTH = 32;

/** The first param nested past MAX_PARAM_DEPTH, as a path; iterative, so any depth is safe to check. */
export function tooDeep(params: Record<string, unknown>): (string | number)[] | null {
  const stack: { value: unknown; path: (string | number)[] }[] = Object.entries(params).map(([k, value]) => ({ value, path: [k] }));
  while (stack.length) {
    const { value, path } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (path.length > MAX_PARAM_DEPTH) return path.slice(0, 1);
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
    for (const [k, v] of entries) stack.push({ value: v, path: [...path, k] });
  }
  return null;
}


export const PipelineNode = z
  .object({
    id: nodeId.meta({ description: 'Readable, unique id; used by --set id.param=value and --to id.' }),
    type: z.string().min(1).meta({ description: 'Node type, e.g. data.load_csv (see `flowline nodes`).' }),
    version: z.number().int().min(1).meta({ description: 'Version of the node type the params were written for.' }),
    title: z.string().optional().meta({ description: 'Label shown on the canvas, when it differs from the type title.' }),
    params: z.record(z.string(), z.unknown()).default({}),
    disabled: z.boolean().optional(),
  })
  .strict()
  .superRefine((node, ctx) => {
    const path = tooDeep(node.params);
    if (path) ctx.addIssue({ code: 'custom', path: ['params', ...path], message: `node "${node.id}" param "${path[0]}" is nested more than ${MAX_PARAM_DEPTH} levels deep` });
  });

/** "node.port" on each side. */
export const Endpoint = z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*\.[A-Za-z_][A-Za-z0-9_]*$/, 'an edge end is "node.port"');

export const PipelineEdge = z.object({ from: Endpoint, to: Endpoint }).strict();

export const Position = z.object({ x: z.number(), y: z.number() }).strict();

export const StickyNote = z
  .object({ id: z.string(), text: z.string(), x: z.number(), y: z.number(), width: z.number().optional(), height: z.number().optional(), color: z.string().optional() })
  .strict();

/**
 * Where Tidy routed an edge: its lane (where it leaves the source card's side, its bends, where it
 * meets the target card's side), and where its two nodes stood then. The studio draws the edge along them only while both nodes still stand there (a moved
 * node gets the ordinary curve), so a file edited elsewhere never shows a route that misses its nodes.
 */
export const EdgeRoute = z
  .object({ points: z.array(Position), from: Position, to: Position })
  .strict();
export type EdgeRoute = z.infer<typeof EdgeRoute>;

/** An edge's key in layout.routes (and the studio's edge id): "split.test->evaluate.table". */
export const edgeKey = (e: { from: string; to: string }) => `${e.from}->${e.to}`;

const samePlace = (a: { x: number; y: number } | undefined, b: { x: number; y: number }) => !!a && Math.abs(a.x - b.x) < 0.5 && Math.abs(a.y - b.y) < 0.5;

/** Does Tidy's route still fit: both its nodes stand where they stood when it was made? */
export function routeHolds(route: EdgeRoute, from: { x: number; y: number } | undefined, to: { x: number; y: number } | undefined): boolean {
  return samePlace(from, route.from) && samePlace(to, route.to);
}

export const NodeGroup = z.object({ id: z.string(), title: z.string(), nodes: z.array(z.string()), color: z.string().optional() }).strict();

/**
 * Gallery facts of a shipped template. `threshold` is the score the template reaches, checked by
 * its test: `metric` is "<node id>.<metric>" as in the metrics of `flowline run --json`.
 */
export const TemplateMeta = z
  .object({
    task: z.string().min(1).meta({ description: 'What it predicts or finds, e.g. binary classification, regression, forecasting, clustering.' }),
    difficulty: z.enum(['beginner', 'intermediate', 'advanced']),
    stages: z.array(z.string().min(1)).meta({ description: 'The steps it shows, in order, in a few words each.' }),
    threshold: z
      .object({ metric: z.string().regex(/^[^.]+\.[^.]+$/), min: z.number().optional(), max: z.number().optional() })
      .strict()
      .refine((t) => t.min !== undefined || t.max !== undefined, 'give min or max')
      .meta({ description: 'A score the template reaches: "<node id>.<metric>" at least min / at most max.' }),
  })
  .strict();
export type TemplateMeta = z.infer<typeof TemplateMeta>;

export const Pipeline = z
  .object({
    format: z.literal(FORMAT),
    version: z.number().int().min(1),
    name: z.string().default('Untitled pipeline'),
    description: z.string().optional(),
    /** Gallery tags (templates), e.g. ["classification", "beginner"]. */
    tags: z.array(z.string()).optional(),
    /** What the gallery shows of a template beyond its tags; ignored when running. */
    template: TemplateMeta.optional(),
    /** Seed of every random node that leaves its own `seed` param empty. */
    seed: z.number().int().default(42).meta({ description: "Seed of every random node that leaves its own seed param empty (the node's seed, not its id, decides its random numbers)." }),
    nodes: z.array(PipelineNode),
    edges: z.array(PipelineEdge).default([]),
    /** Conditions a model must meet to be promoted or exported as production (docs/lifecycle.md, "Gates"). */
    gates: z.array(Gate).optional().meta({ description: 'Conditions a model must meet before it is promoted to production or exported as production (docs/lifecycle.md, "Gates").' }),
    /** Presentation only, kept apart so that moving a node does not touch the semantics above. */
    layout: z
      .object({
        positions: z.record(z.string(), Position).default({}),
        notes: z.array(StickyNote).default([]),
        groups: z.array(NodeGroup).default([]),
        /** Tidy's edge routes, by edge ("from->to", e.g. "split.train->train.table"). */
        routes: z.record(z.string(), EdgeRoute).optional().meta({ description: 'Tidy\'s route of each edge, keyed "from->to": its lane (start, bends, end), and where its two nodes stood; drawn only while they still stand there.' }),
      })
      .strict()
      .default({ positions: {}, notes: [], groups: [] }),
  })
  .strict();

export type Pipeline = z.infer<typeof Pipeline>;
export type PipelineNode = z.infer<typeof Pipeline>['nodes'][number];
export type PipelineEdge = z.infer<typeof PipelineEdge>;

export function splitEndpoint(endpoint: string): { node: string; port: string } {
  const dot = endpoint.lastIndexOf('.');
  return { node: endpoint.slice(0, dot), port: endpoint.slice(dot + 1) };
}

export function emptyPipeline(name = 'Untitled pipeline'): Pipeline {
  return { format: FORMAT, version: CURRENT_VERSION, name, seed: 42, nodes: [], edges: [], layout: { positions: {}, notes: [], groups: [] } };
}
