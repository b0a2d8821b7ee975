/**
 * The columns of a pipeline's source files, read cheaply before anything runs (each source node's
 * `describe`: a CSV's sniffed header and types, a Parquet file's schema) so that compile can
 * propagate them and check every column a node names. Cached in this process by the node type,
 * its params and the size and modification time of the files it reads, so the studio, which
 * validates on every edit, reads a file once per change of it.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { stat } from 'node:fs/promises';
import { nodeParams } from '../compile/compile.ts';
import { canonicalJson, statFingerprint } from '../exec/hash.ts';
import type { Pipeline } from '../schema/pipeline.ts';
import type { AnyNodeSpec } from '../spec/define-node.ts';
import type { KnownTable } from '../spec/known-columns.ts';

const CACHE_SIZE = 256;
const cache = new Map<string, Promise<KnownTable | undefined>>();

export interface KnownSourcesOptions {
  /** The pipeline file (relative data paths resolve against its folder); unsaved: `cwd`. */
  path?: string;
  cwd: string;
  /** Source nodes not to read (their reads need trust the pipeline does not have). */
  skip?: ReadonlySet<string>;
}

/** Source node id → its file's columns, for every enabled source whose file can be described. */
export async function knownSources(pipeline: Pipeline, nodes: readonly AnyNodeSpec[], options: KnownSourcesOptions): Promise<Record<string, KnownTable>> {
  const specs = new Map(nodes.map((s) => [s.type, s]));
  const pipelineDir = options.path ? dirname(resolve(options.cwd, options.path)) : resolve(options.cwd);
  const out: Record<string, KnownTable> = {};
  await Promise.all(
    pipeline.nodes.map(async (node) => {
      const spec = specs.get(node.type);
      if (!spec?.describe || node.disabled || options.skip?.has(node.id) || node.version > spec.version) return;
      const params = nodeParams(node, spec);
      if (!params) return;
      const files = (spec.reads?.(params) ?? []).map((p) => (isAbsolute(p) ? p : resolve(pipelineDir, p)));
      // Only regular files: a device or a pipe would never end (the run refuses them by name).
      if (!(await Promise.all(files.map(isRegularFile))).every(Boolean)) return;
      const key = canonicalJson({ type: spec.type, params, pipelineDir, files: await Promise.all(files.map(async (f) => [f, await statFingerprint(f)])) });
      let entry = cache.get(key);
      if (!entry) {
        entry = spec.describe(params, { pipelineDir }).catch(() => undefined);
        cache.set(key, entry);
        if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      const table = await entry;
      if (table) out[node.id] = table;
    }),
  );
  return out;
}

async function isRegularFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

