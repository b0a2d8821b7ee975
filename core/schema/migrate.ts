import { FlowlineError } from '../spec/errors.ts';
import { CURRENT_VERSION, FORMAT } from './pipeline.ts';

type Json = Record<string, unknown>;

/**
 * File-format migrations, keyed by the version they upgrade *from*. Each takes the raw JSON of
 * version n and returns version n+1. Node-param migrations live with each node (NodeSpec.migrate).
 */
export const MIGRATIONS: Record<number, (doc: Json) => Json> = {};

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
