/**
 * Writes the Docker serving bundle: a folder (and a .zip of it) that runs with `node server.js`
 * or `docker build`, holding the verified ONNX model(s), the manifest, the one-file server, the
 * OpenAPI document, golden requests with their replay script, the Dockerfile, a README and a
 * Triton model repository. The folder is assembled beside the target and renamed into place, so
 * a failed export never leaves half a bundle (nor removes the previous one).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { zipSync } from 'fflate';
import { FlowlineError } from '../../spec/errors.ts';
import { FLOWLINE_VERSION } from '../version.ts';
import { bundleLock, bundlePackageJson, BUNDLE_NPMRC, DOCKERIGNORE, dockerfile } from './docker.ts';
import { openApiDocument } from './openapi.ts';
import { servingPrograms } from './programs.ts';
import { bundleReadme } from './readme.ts';
import { Decoder } from './server/decode.ts';
import { LoadedModel } from './server/model.ts';
import { compareAnswer, GOLDEN_FORMAT, type Golden } from './server/golden.ts';
import { MANIFEST_FILE, MANIFEST_FORMAT, MANIFEST_VERSION, type InputColumn, type Manifest, type OutputTensor, type Routing, type ServedModel, type ValidationPolicy } from './server/manifest.ts';
import { tritonConfig, tritonName } from './triton.ts';


/** One model as the bundle needs it (see fromModelValue in model-input.ts for the usual source). */
export interface BundleModel {
  name: string;
  version?: string;
  onnx: Uint8Array;
  task: ServedModel['task'];
  target: string | null;
  classes?: (string | number)[];
  learner: string;
  inputs: InputColumn[];
  metrics: Record<string, Record<string, number>>;
  /** exportedAt / flowlineVersion are set at export unless given (a champion kept from an earlier bundle). */
  lineage: Omit<ServedModel['lineage'], 'exportedAt' | 'flowlineVersion'> & Partial<Pick<ServedModel['lineage'], 'exportedAt' | 'flowlineVersion'>>;
  valueBuckets?: number[];
  /** The ONNX export's ExportedModelInfo, kept in the manifest. */
  onnxInfo?: Record<string, unknown>;
  golden: {
    source: string;
    rows: Golden['rows'];
    predictions: (string | number)[];
    probabilities?: number[][];
    tolerance: number;
  };
}

export interface BundleOptions {
  out: string;
  champion: BundleModel;
  challenger?: BundleModel;
  routing?: Partial<Routing>;
  validation?: Partial<ValidationPolicy>;
  /** Also write `<out>.zip` (default true). */
  zip?: boolean;
  /** Image name used in the README's commands. */
  image?: string;
  /** More files to write into the bundle (path inside it → text), e.g. the champion's model card. */
  extraFiles?: Record<string, string>;
}

export interface BundleResult {
  dir: string;
  zip?: string;
  manifest: Manifest;
  files: string[];
}

export const DEFAULT_VALIDATION: ValidationPolicy = { unknownCategory: 'accept', extraFields: 'ignore', maxRows: 10_000, maxBodyBytes: 8 * 1024 * 1024 };
export const DEFAULT_ROUTING: Routing = { mode: 'single', challengerPercent: 10, keyHeader: 'x-flowline-key' };

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Names usable in URLs, metric labels and Triton folders. */
export function modelName(raw: string): string {
  const name = raw.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  return name || 'model';
}

export async function writeBundle(options: BundleOptions): Promise<BundleResult> {
  const out = resolve(options.out);
  checkTarget(out);
  const champion = options.champion;
  const challenger = options.challenger;
  if (challenger) checkChallenger(champion, challenger);
  const routing: Routing = { ...DEFAULT_ROUTING, ...(challenger ? { mode: 'ab' as const } : {}), ...options.routing };
  if (!challenger) routing.mode = 'single';
  const validation: ValidationPolicy = { ...DEFAULT_VALIDATION, ...options.validation };

  const exportedAt = new Date().toISOString();
  const served: ServedModel[] = [];
  for (const [role, m] of [['champion', champion], ['challenger', challenger]] as const) {
    if (!m) continue;
    const outputs = await checkWithOnnxRuntime(m);
    served.push({
      role,
      name: modelName(role === 'challenger' && modelName(m.name) === modelName(champion.name) ? `${m.name}-challenger` : m.name),
      version: m.version ?? sha256(m.onnx).slice(0, 12),
      file: role === 'champion' ? 'model.onnx' : 'challenger/model.onnx',
      sha256: sha256(m.onnx),
      task: m.task,
      target: m.target,
      ...(m.classes ? { classes: m.classes } : {}),
      learner: m.learner,
      inputs: m.inputs,
      outputs,
      metrics: m.metrics,
      ...(m.valueBuckets ? { valueBuckets: m.valueBuckets } : {}),
      lineage: { ...m.lineage, exportedAt: m.lineage.exportedAt ?? exportedAt, flowlineVersion: m.lineage.flowlineVersion ?? FLOWLINE_VERSION },
      ...(m.onnxInfo ? { onnx: m.onnxInfo } : {}),
      warmup: m.golden.rows[0],
    });
  }
  const manifest: Manifest = { format: MANIFEST_FORMAT, version: MANIFEST_VERSION, models: served, routing, validation };

  const files = new Map<string, string | Uint8Array>();
  files.set('model.onnx', champion.onnx);
  if (challenger) files.set('challenger/model.onnx', challenger.onnx);
  files.set(MANIFEST_FILE, `${JSON.stringify(manifest, null, 2)}\n`);
  files.set('openapi.json', `${JSON.stringify(openApiDocument(manifest), null, 2)}\n`);
  for (const [i, m] of [champion, challenger].entries()) {
    if (!m) continue;
    const spec = served[i];
    const golden: Golden = {
      format: GOLDEN_FORMAT,
      version: 1,
      model_name: spec.name,
      model_version: spec.version,
      source: m.golden.source,
      tolerance: m.golden.tolerance,
      columns: m.inputs.map((c) => c.name),
      rows: m.golden.rows,
      expected: { predictions: m.golden.predictions, ...(m.golden.probabilities ? { probabilities: m.golden.probabilities, classes: m.classes } : {}) },
    };
    files.set(`golden/${spec.name}.json`, `${JSON.stringify(golden, null, 2)}\n`);
    files.set(`triton/${tritonName(spec.name)}/config.pbtxt`, tritonConfig(spec, Math.min(validation.maxRows, 1024)));
    files.set(`triton/${tritonName(spec.name)}/1/model.onnx`, m.onnx);
  }
  const programs = await servingPrograms();
  files.set('server.js', programs.server);
  files.set('replay.js', programs.replay);
  const packageName = served[0].name.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  files.set('package.json', bundlePackageJson(packageName, `Flowline model server for ${served[0].name}`));
  const lock = bundleLock(packageName);
  if (lock) files.set('package-lock.json', lock);
  files.set('.npmrc', BUNDLE_NPMRC);
  files.set('.dockerignore', DOCKERIGNORE);
  files.set('Dockerfile', dockerfile({ withLock: lock !== null }));
  files.set('README.md', bundleReadme(manifest, options.image ?? packageName));
  for (const [path, content] of Object.entries(options.extraFiles ?? {})) files.set(path, content);

  const staging = `${out}.partial-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  try {
    for (const [path, content] of files) {
      await mkdir(dirname(join(staging, path)), { recursive: true });
      await writeFile(join(staging, path), content);
    }
    let zipPath: string | undefined;
    if (options.zip !== false) {
      zipPath = `${out}.zip`;
      const entries: Record<string, Uint8Array> = {};
      const folder = basename(out);
      for (const [path, content] of files) entries[`${folder}/${path}`] = typeof content === 'string' ? new TextEncoder().encode(content) : content;
      await writeFile(`${staging}.zip`, zipSync(entries, { level: 6, mtime: new Date(exportedAt) }));
    }
    await rm(out, { recursive: true, force: true });
    await rename(staging, out);
    if (zipPath) await rename(`${staging}.zip`, zipPath);
    return { dir: out, zip: zipPath, manifest, files: [...files.keys()].sort() };
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    await rm(`${staging}.zip`, { force: true });
    throw e;
  }
}

/** A model of an existing bundle, read back from its files (to keep it while adding a challenger). */
export function readBundleModel(dir: string, spec: ServedModel): BundleModel {
  const golden = JSON.parse(readFileSync(join(dir, 'golden', `${spec.name}.json`), 'utf8')) as Golden;
  return {
    name: spec.name,
    version: spec.version,
    onnx: readFileSync(join(dir, spec.file)),
    task: spec.task,
    target: spec.target,
    ...(spec.classes ? { classes: spec.classes } : {}),
    learner: spec.learner,
    inputs: spec.inputs,
    metrics: spec.metrics,
    lineage: spec.lineage,
    ...(spec.valueBuckets ? { valueBuckets: spec.valueBuckets } : {}),
    ...(spec.onnx ? { onnxInfo: spec.onnx } : {}),
    golden: { source: golden.source, rows: golden.rows, predictions: golden.expected.predictions, probabilities: golden.expected.probabilities, tolerance: golden.tolerance },
  };
}

/**
 * Add (or replace) the challenger of an existing bundle: the champion, its version and its
 * golden requests stay as they are; routing defaults to an A/B split unless given.
 */
export async function addChallenger(dir: string, challenger: BundleModel, routing: Partial<Routing> = {}, options: { zip?: boolean } = {}): Promise<BundleResult> {
  const path = join(resolve(dir), MANIFEST_FILE);
  if (!existsSync(path)) throw new FlowlineError({ code: 'FILE_NOT_FOUND', file: path, message: `${resolve(dir)} is not a Flowline serving bundle (no ${MANIFEST_FILE}).`, hint: 'Give the folder an earlier `flowline export docker` wrote.' });
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  const champion = readBundleModel(resolve(dir), manifest.models[0]);
  const mode = routing.mode ?? (manifest.routing.mode === 'single' ? 'ab' : manifest.routing.mode);
  return writeBundle({ out: dir, champion, challenger, routing: { ...manifest.routing, ...routing, mode }, validation: manifest.validation, zip: options.zip ?? existsSync(`${resolve(dir)}.zip`) });
}

/** Refuse to replace a folder that is not an earlier bundle (it may hold someone's files). */
function checkTarget(out: string): void {
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory()) throw new FlowlineError({ code: 'INVALID_PARAM', path: ['out'], message: `${out} exists and is not a folder.`, hint: 'Pick a new folder for the bundle.' });
  const entries = readdirSync(out);
  if (entries.length && !entries.includes(MANIFEST_FILE)) {
    throw new FlowlineError({ code: 'INVALID_PARAM', path: ['out'], message: `${out} is not empty and is not a Flowline bundle; nothing was written.`, hint: 'Pick a new or empty folder (an earlier bundle folder is replaced).' });
  }
}

/** A challenger answers the champion's requests: it may read only columns the champion takes, of the same kind. */
export function checkChallenger(champion: BundleModel, challenger: BundleModel): void {
  const byName = new Map(champion.inputs.map((c) => [c.name, c]));
  for (const c of challenger.inputs) {
    const mine = byName.get(c.name);
    if (!mine) {
      throw new FlowlineError({ code: 'BAD_CHALLENGER', column: c.name, message: `The challenger reads column "${c.name}", which the champion's requests do not carry.`, hint: `Train the challenger without "${c.name}", or make the model that reads it the champion.` });
    }
    if (mine.kind !== c.kind && !(isNumeric(mine.kind) && isNumeric(c.kind))) {
      throw new FlowlineError({ code: 'BAD_CHALLENGER', column: c.name, message: `Column "${c.name}" is ${mine.kind} for the champion but ${c.kind} for the challenger.`, hint: 'Both models must read the column with the same type.' });
    }
  }
  const kind = (t: string) => (t === 'binary' || t === 'multiclass' ? 'classification' : t);
  if (kind(champion.task) !== kind(challenger.task)) {
    throw new FlowlineError({ code: 'BAD_CHALLENGER', message: `The champion does ${champion.task} but the challenger does ${challenger.task}; their answers cannot be compared.`, hint: 'Pick a challenger trained for the same target.' });
  }
}

function isNumeric(kind: string): boolean {
  return kind === 'number' || kind === 'integer';
}

/**
 * Load the ONNX model in onnxruntime-node (the runtime the server uses), learn its output shapes,
 * and score the golden rows: a bundle whose own replay would fail is never written.
 */
async function checkWithOnnxRuntime(m: BundleModel): Promise<OutputTensor[]> {
  const probe: ServedModel = {
    role: 'champion', name: m.name, version: '', file: '', sha256: '', task: m.task, target: m.target, classes: m.classes, learner: m.learner,
    inputs: m.inputs, outputs: [], metrics: {}, lineage: { ...m.lineage, exportedAt: '', flowlineVersion: '' }, warmup: m.golden.rows[0],
  };
  const policy = { unknownCategory: 'accept' as const, extraFields: 'ignore' as const, maxRows: Number.MAX_SAFE_INTEGER };
  const model = await LoadedModel.load(probe, m.onnx, policy, 1);
  const batch = new Decoder(m.inputs, policy).fromRecords(m.golden.rows, 'the golden rows');
  const scored = await model.score(batch);
  const golden = { tolerance: m.golden.tolerance, expected: { predictions: m.golden.predictions, probabilities: m.golden.probabilities, classes: m.classes } } as Golden;
  const k = m.classes?.length ?? 0;
  const probabilities = scored.probabilities && k ? Array.from({ length: scored.rows }, (_, r) => Array.from(scored.probabilities!).slice(r * k, r * k + k)) : undefined;
  const problems = compareAnswer(golden, { predictions: scored.predictions, probabilities });
  if (problems.length) {
    throw new FlowlineError({
      code: 'EXPORT_MISMATCH',
      message: `The exported model "${m.name}" does not give Flowline's answers on the golden rows: ${problems.slice(0, 3).join('; ')}.`,
      hint: 'This is a bug in the export; please report it with the pipeline.',
    });
  }
  return scored.outputs.map((o) => ({ name: o.name, datatype: o.datatype, shape: [-1, ...o.shape.slice(1)] }));
}

