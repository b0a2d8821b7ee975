import { FlowlineError } from '../spec/errors.ts';
import { deriveSeed } from '../spec/seed.ts';
import { CURRENT_VERSION, FORMAT } from './pipeline.ts';

type Json = Record<string, unknown>;

/**
 * Node types that drew random numbers in file version 1, when a node's stream was the pipeline
 * seed mixed with the node's id. A fact about version 1 files, so this list never grows.
 */
const RANDOM_NODE_TYPES_V1 = new Set(['data.split', 'data.sample', 'prep.encode', 'ml.train', 'ml.cross_validate', 'ml.tune', 'ml.compare']);

/**
 * 1 → 2: seeds belong to nodes (a `seed` param, default the pipeline seed), no longer to node ids.
 * Each random node of a version 1 file gets the seed it effectively used, deriveSeed(pipeline seed,
 * id), written into its params, so it gives the same numbers as before — and keeps giving them
 * when it is renamed. (Encode Categories drew random numbers only for target encoding.)
 */
function seedsFromIds(doc: Json): Json {
  const seed = typeof doc.seed === 'number' ? doc.seed : 42;
  const nodes = Array.isArray(doc.nodes) ? doc.nodes : [];
  return {
    ...doc,
    nodes: nodes.map((n: unknown) => {
      if (!n || typeof n !== 'object') return n;
      const node = n as Json;
      const params = node.params && typeof node.params === 'object' && !Array.isArray(node.params) ? (node.params as Json) : {};
      const random = typeof node.type === 'string' && RANDOM_NODE_TYPES_V1.has(node.type) && (node.type !== 'prep.encode' || params.method === 'target');
      if (!random || typeof node.id !== 'string' || params.seed !== undefined) return node;
      return { ...node, params: { ...params, seed: deriveSeed(seed, node.id) } };
    }),
  };
}

/**
 * File-format migrations, keyed by the version they upgrade *from*. Each takes the raw JSON of
 * version n and returns version n+1. Node-param migrations live with each node (NodeSpec.migrate).
 */
export const MIGRATIONS: Record<number, (doc: Json) => Json> = { 1: seedsFromIds };

/** Bring a parsed-but-unvalidated document up to CURRENT_VERSION, or refuse it. */
export function migrateDocument(doc: unknown, file?: string): Json {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new FlowlineError({ code: 'PIPELINE_INVALID', message: 'The pipeline file must hold a JSON object.', file });
  }
  const raw = doc as Json;
  if (raw.format !== FORMAT) {
    throw new FlowlineError({
      code: 'PIPELINE_INVALID',
      message: `This is not a Flowline pipeline: "format" is ${JSON.stringify(raw.format)}, expected "${FORMAT}".`,
      file,
    });
  }
  const version = raw.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new FlowlineError({ code: 'PIPELINE_INVALID', message: '"version" must be a positive integer.', file });
  }
  if (version > CURRENT_VERSION) {
    throw new FlowlineError({
      code: 'PIPELINE_TOO_NEW',
      message: `This pipeline was saved by a newer Flowline (file version ${version}; this build reads up to ${CURRENT_VERSION}). It was not opened, so nothing in it was changed.`,
      hint: 'Update Flowline to open it.',
      file,
    });
  }
  let current = raw;
  for (let v = version; v < CURRENT_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) throw new FlowlineError({ code: 'INTERNAL', message: `No migration from pipeline version ${v}.`, file });
    current = { ...step(current), version: v + 1 };
  }
  return current;
}
