/**
 * THE contract between the studio and whatever runs pipelines (Electron main over IPC, or the
 * web host over HTTP + WebSocket). Types only, plus the event names: the renderer imports this
 * file and nothing else from the host side. Grow it by adding optional fields and new methods;
 * never change the meaning of an existing one.
 */
import type { VerificationReport } from '../spec/export-report.ts';
import type { Pipeline } from '../schema/pipeline.ts';
import type { ErrorInfo } from '../spec/errors.ts';
import type { ColumnSchema, ColumnType, PortType, PortValue, Recipe } from '../spec/values.ts';
import type { Category, NodeHelp, ParamUi } from '../spec/define-node.ts';
import type { NodeResult, NodeStatus, RunEvent, RunSummary } from '../spec/run-events.ts';
import type { ColumnProfile, TablePage } from '../spec/table-page.ts';
import type { SavedConnection } from '../spec/context.ts';
import type { RunComparison, RunRecord } from '../spec/run-log.ts';
import type { AuditEntry, ListedVersion, ModelStage } from '../spec/model-registry.ts';
import type { GateResult } from '../spec/gate-result.ts';

export const API_VERSION = 1;

export interface CatalogPort {
  name: string;
  type: PortType;
  label: string;
  required: boolean;
  multiple: boolean;
}

export interface CatalogNode {
  type: string;
  version: number;
  title: string;
  category: Category;
  description: string;
  /** Longer help with an example, when the node has it. */
  help?: NodeHelp;
  inputs: CatalogPort[];
  outputs: CatalogPort[];
  /** JSON Schema of the params (zod → JSON Schema), defaults and descriptions included. */
  paramsSchema: Record<string, unknown>;
  /** Inspector hints per top-level param. */
  paramsUi: Record<string, ParamUi>;
  /** Default params, ready to drop on the canvas. */
  defaults: Record<string, unknown>;
  exportable: boolean;
  runsUserCode: boolean;
}

export interface Diagnostic extends ErrorInfo {
  severity: 'error' | 'warning';
}

/** Column schema of every output port, known without running (when it can be inferred). */
export type SchemaMap = Record<string, Record<string, ColumnSchema[]>>;

export interface OpenedPipeline {
  path: string;
  /** The file's pipeline, each node from an older version of its type upgraded to the values it runs with. */
  pipeline: Pipeline;
  /** Exact text on disk (for the JSON view). */
  text: string;
  /** True when the file would run code, query a database, or read or write files outside its folder, and this machine has not trusted it yet. */
  needsTrust: boolean;
  /** What it would do, when it needs trust. */
  sideEffects?: SideEffectInfo[];
}

/** One thing a pipeline would do besides computing tables, that needs trust (core/host/side-effects.ts). */
export interface SideEffectInfo {
  nodeId: string;
  kind: 'code' | 'query' | 'write' | 'read';
  /** In the user's words: 'node "save" (Write CSV) writes /home/ann/.bashrc, outside the pipeline's folder'. */
  what: string;
}

export interface RunRequest {
  pipeline: Pipeline;
  /** Where the pipeline lives (relative data paths resolve against its folder); unsaved = undefined. */
  path?: string;
  /** Run only this node and its ancestors. */
  to?: string;
  /** node.param=value overrides, as on the CLI. */
  set?: string[];
}


export interface PreviewRequest {
  runId?: string;
  nodeId: string;
  port?: string;
  offset: number;
  limit: number;
  withProfile?: boolean;
  /** Optional sort, for the grid. */
  orderBy?: { column: string; descending?: boolean };
}

export interface TemplateInfo {
  id: string;
  name: string;
  description: string;
  path: string;
  tags: string[];
  /** What it predicts or finds (binary classification, regression, forecasting, clustering…); '' when the file does not say. */
  task: string;
  difficulty?: 'beginner' | 'intermediate' | 'advanced';
  /** The steps it shows, in order. */
  stages: string[];
  /** The score it reaches: "<node id>.<metric>" at least min / at most max (checked by its test). */
  threshold?: { metric: string; min?: number; max?: number };
  /** Data files it reads, relative to its folder (copied with it by "Use this template"). */
  dataFiles: string[];
  /** Enough of the pipeline to draw a thumbnail: node boxes at their canvas positions (group: the node type's prefix, data / prep / ml), and edges. */
  preview: { nodes: { id: string; group: string; x: number; y: number }[]; edges: [string, string][]; notes: number };
}

export interface RecentFile {
  path: string;
  name: string;
  openedAt: string;
}

/** Export a Train node's model as a Docker serving bundle (docs/serving-bundle.md). */
export interface DockerExportRequest {
  /** The saved pipeline file (the export re-reads it; unsaved edits are not exported). */
  path: string;
  /** The Train node: its model is the champion (or, with addToExisting, the new challenger). */
  node: string;
  /** Bundle folder (relative paths resolve against the pipeline's folder). */
  out: string;
  challenger?: string;
  addToExisting?: boolean;
  routing?: 'ab' | 'canary' | 'shadow';
  challengerPercent?: number;
  unknownCategory?: 'accept' | 'reject';
  extraFields?: 'ignore' | 'reject';
  maxRows?: number;
  exact?: boolean;
}

export interface DockerExportSummary {
  dir: string;
  zip: string | null;
  /** Champion first. `verification`: how the model's ONNX file compared with the app on `heldOut` (the model exported by this call; absent for a champion kept from an earlier bundle). */
  models: { name: string; version: string; role: 'champion' | 'challenger'; task: string; heldOut: string; verification?: OnnxVerification }[];
  routing: string;
  files: string[];
}

/** Where autosaved work belongs, kept beside it so recovery puts it back in its place. */
export interface AutosaveWhere {
  /** The file the work was opened from or last saved to. */
  path?: string;
  /** The example it is an unsaved copy of (its relative data paths resolve in that folder). */
  origin?: string;
}

export interface RecoveredWork extends AutosaveWhere {
  pipeline: Pipeline;
  /** ISO time of the autosave. */
  savedAt: string;
}

/** Export a model-producing node's model as one verified ONNX file (docs/onnx-export.md). */
export interface OnnxExportRequest {
  pipeline: Pipeline;
  /** The pipeline file (relative data paths resolve against its folder); unsaved = undefined. */
  path?: string;
  /** The node whose model is exported (Train Model, Tune...). */
  nodeId: string;
  /** Exact target (opset 21 + ai.onnx.ml 5, bit-identical trees) instead of the default (opset 17). */
  exact?: boolean;
  /** Where to write the .onnx (absolute, or relative to the pipeline's folder). Default: <nodeId>.onnx there (the studio's folder for templates and unsaved work). */
  out?: string;
}

/** How the exported file compared with the app's own predictions (the target is said beside it). */
export type OnnxVerification = Omit<VerificationReport, 'target'>;

export interface OnnxExportResult {
  ok: boolean;
  /** The file written (only when ok). */
  file?: string;
  sizeBytes?: number;
  target: 'default' | 'exact';
  opset?: number;
  mlOpset?: number;
  task?: string;
  inputs?: { name: string; type: string }[];
  outputs?: { name: string; type: string; shape: (number | string)[] }[];
  verification?: OnnxVerification;
  /** Why the export was refused (a step ONNX cannot express, a failed verification, a node error). */
  error?: ErrorInfo;
  /** The run the export made of the pipeline (its events were sent as any run's), once it started. */
  runId?: string;
  durationMs: number;
}

/** A PostgreSQL login saved in the studio under a name that a Load from PostgreSQL node's `connection` setting holds. */
export interface DatabaseConnection extends SavedConnection {
  /** Letters, digits and _ (like an environment variable, which the CLI reads under the same name). */
  name: string;
}

/** A saved connection as the studio lists it: everything but the password. */
export interface DatabaseConnectionInfo extends Omit<DatabaseConnection, 'password'> {
  /** 'keychain': encrypted with the OS keychain (desktop), kept between sessions; 'session': in the host's memory until it stops (browser). */
  storedIn: 'keychain' | 'session';
}

/** A registered model version as the studio's Models view shows it. */
export interface RegisteredModel extends ListedVersion {
  /** The model card (HTML) written with the export, when it is still there. */
  card: string | null;
}

/** The model registry beside a pipeline (docs/lifecycle.md, "Model registry"). */
export interface ModelRegistryView {
  /** The registry folder (`.flowline/models` beside the pipeline). */
  dir: string;
  /** Oldest first. */
  versions: RegisteredModel[];
  /** The audit trail, oldest first: registrations, stage changes and refused promotions. */
  audit: AuditEntry[];
}

/**
 * What a promote or rollback did, as `flowline models promote|rollback` does it. A promotion a gate
 * refuses is a result (ok false), with each failed gate's line as the CLI's exit-4 message says it.
 */
export type ModelStageResult =
  | { ok: true; action: 'promote' | 'rollback'; version: string; archived: string | null; gates: GateResult[] }
  | { ok: false; action: 'promote'; version: string; gates: GateResult[]; refusal: string[] };

/** Write the report of the pipeline's last run (what `flowline run --report` writes). */
export interface ReportRequest {
  /** The pipeline file (its run log is where the run was recorded); unsaved = undefined. */
  path?: string;
  /** The pipeline in the editor: drawn when the run's own copy of it was not recorded. */
  pipeline: Pipeline;
  /** Where to write it: an .html file (relative paths resolve against the pipeline's folder). */
  out: string;
}

export interface ReportWritten {
  file: string;
  runId: string;
  /** The file's text, for the studio to show. */
  html: string;
}

export interface FlowlineApi {
  /** Version of this contract the host speaks. */
  hello(): Promise<{ apiVersion: number; host: 'electron' | 'web'; version: string; cwd: string; dialogs?: 'native' | 'in-app' }>;
  catalog(): Promise<CatalogNode[]>;
  openPipeline(path: string): Promise<OpenedPipeline>;
  /** Atomic save (write then rename). Returns the stable text written. */
  savePipeline(path: string, pipeline: Pipeline): Promise<{ path: string; text: string }>;
  validatePipeline(pipeline: Pipeline, path?: string): Promise<{ diagnostics: Diagnostic[]; schemas: SchemaMap }>;
  /** Trust the file at `path` as it is on disk, and what it does. */
  trustPipeline(path: string): Promise<void>;
  /** "Trust and run": trust everything this run would do (and the file at its path, if any). */
  trustRun(request: RunRequest): Promise<void>;
  /** A folder the user chose: pipelines may read and write there without asking. */
  trustFolder(dir: string): Promise<void>;
  run(request: RunRequest): Promise<{ runId: string }>;
  cancel(runId: string): Promise<void>;
  /** Latest result of each node for a pipeline path (or the last unsaved run). */
  lastRun(path?: string): Promise<RunSummary | null>;
  preview(request: PreviewRequest): Promise<TablePage>;
  listTemplates(): Promise<TemplateInfo[]>;
  /** "Use this template": copy it and its data files into a folder (never over a file); the copy's path. */
  copyTemplate(id: string, dir: string): Promise<{ path: string; files: string[] }>;
  recentFiles(): Promise<RecentFile[]>;
  /** Autosave slot for crash recovery (not the user's file); `where` says which file the work belongs to. */
  autosave(key: string, pipeline: Pipeline | null, where?: AutosaveWhere): Promise<void>;
  recoverAutosave(key: string): Promise<Pipeline | null>;
  /** The autosaved work with the file (or example) it belongs to. */
  recoverWork(key: string): Promise<RecoveredWork | null>;
  /** File pickers: native dialogs in Electron, a server-side file list in the web host. */
  listDirectory(dir: string): Promise<{ path: string; entries: { name: string; dir: boolean }[] }>;
  /** Write a Docker serving bundle for a Train node of a saved pipeline (runs in the worker pool). */
  exportDocker(request: DockerExportRequest): Promise<DockerExportSummary>;
  /**
   * Run the pipeline up to what scores the node's model (cached), export the model as ONNX in a
   * worker, verify it against the app's predictions and write it only if it matches. A refusal is
   * a result with ok = false (and the verification, when it ran), not a thrown error.
   */
  exportOnnx(request: OnnxExportRequest): Promise<OnnxExportResult>;
  /** Every run recorded beside the pipeline at `path` (the state folder's log when unsaved), oldest first: across sessions, CLI runs included. */
  listRuns(path?: string): Promise<RunRecord[]>;
  /** What changed from run `a` to run `b` of that log: params, data files, node versions, metric deltas. */
  compareRuns(path: string | undefined, a: string, b: string): Promise<RunComparison>;
  /**
   * The OS's own open dialog, filtered to *.flow.json, starting in `dir`: the chosen path, or null
   * on Cancel. Only a host whose hello() says dialogs: 'native' offers it (the web host refuses,
   * and the studio shows its in-app file browser instead).
   */
  chooseOpenPath(dir?: string): Promise<string | null>;
  /**
   * The OS's own save dialog, proposing `suggested` (a path or a file name): the chosen path, or
   * null on Cancel. Filtered to *.flow.json, or to *.html for `kind` 'report' (a run report).
   */
  chooseSavePath(suggested?: string, kind?: 'pipeline' | 'report'): Promise<string | null>;
  /** Saved database connections (no passwords). */
  listConnections(): Promise<DatabaseConnectionInfo[]>;
  /**
   * Save a database login under its name (replacing one of that name). The desktop app encrypts it
   * with the OS keychain (Electron's safeStorage) and refuses, saying why, where there is none; the
   * browser studio's host keeps it in memory for the session only. Never written into a pipeline.
   */
  saveConnection(connection: DatabaseConnection): Promise<DatabaseConnectionInfo>;
  forgetConnection(name: string): Promise<void>;
  /** The model registry beside the pipeline at `path` (the state folder's when unsaved): versions, stages, lineage, audit trail. */
  listModels(path?: string): Promise<ModelRegistryView>;
  /** `flowline models promote VERSION --reason TEXT`: the pipeline's gates checked; a refusal is a result, not an error. */
  promoteModel(path: string | undefined, version: string, reason: string): Promise<ModelStageResult>;
  /** `flowline models rollback --reason TEXT`: the previous production version back. */
  rollbackModel(path: string | undefined, reason: string): Promise<ModelStageResult>;
  /** A registered version's model card (the HTML written beside its export). */
  modelCard(path: string | undefined, version: string): Promise<{ file: string; html: string }>;
  /** The report of the pipeline's last run, as `flowline run --report FILE` writes it (same function, same file). */
  writeReport(request: ReportRequest): Promise<ReportWritten>;
  /** Subscribe to run events; returns an unsubscribe function. */
  onEvent(listener: (event: RunEvent) => void): () => void;
  /** Subscribe to what the desktop shell asks the studio to do (its menus, a double-clicked file); absent in a browser. */
  onCommand?(listener: (command: StudioCommand) => void): () => void;
}

/**
 * What the desktop shell's native menus and the OS (a double-clicked file, the dock or jump list)
 * ask the studio to do: the same commands its keyboard shortcuts run (renderer/src/store/studio-commands.ts).
 */
export const STUDIO_COMMANDS = [
  'new',
  'open',
  'save',
  'save-as',
  'undo',
  'redo',
  'copy',
  'paste',
  'duplicate',
  'select-all',
  'delete',
  'toggle-json',
  'fit-view',
  'tidy',
  'run',
  'run-to-selection',
  'cancel-run',
  'report',
  'quick-insert',
  'node-help',
  'shortcuts',
] as const;
export type StudioCommandName = (typeof STUDIO_COMMANDS)[number];
export type StudioCommand = { command: StudioCommandName } | { command: 'open-path'; path: string };

/**
 * What the studio's window offers its desktop shell, as window.flowlineStudio: the shell's close
 * handler calls requestClose() and closes the window only when it resolves true.
 */
export interface StudioWindowHooks {
  /** Asks about unsaved changes (Save · Don't save · Cancel); true when the window may close. */
  requestClose(): Promise<boolean>;
}

/** Methods callable over the wire (everything but the subscriptions). */
export type ApiMethod = Exclude<keyof FlowlineApi, 'onEvent' | 'onCommand'>;

/** Every callable method by name (hosts bind one handler each; the preload one function each). */
export const API_METHOD_NAMES = Object.keys({
  hello: 1,
  catalog: 1,
  openPipeline: 1,
  savePipeline: 1,
  validatePipeline: 1,
  trustPipeline: 1,
  trustRun: 1,
  trustFolder: 1,
  run: 1,
  cancel: 1,
  lastRun: 1,
  preview: 1,
  listTemplates: 1,
  copyTemplate: 1,
  recentFiles: 1,
  autosave: 1,
  recoverAutosave: 1,
  recoverWork: 1,
  listDirectory: 1,
  exportDocker: 1,
  listRuns: 1,
  compareRuns: 1,
  exportOnnx: 1,
  chooseOpenPath: 1,
  chooseSavePath: 1,
  listConnections: 1,
  saveConnection: 1,
  forgetConnection: 1,
  listModels: 1,
  promoteModel: 1,
  rollbackModel: 1,
  modelCard: 1,
  writeReport: 1,
  // `satisfies`: a method added to FlowlineApi but not listed here is a type error.
} satisfies Record<ApiMethod, 1>) as ApiMethod[];

// Re-exported so the renderer can import all contract types from one file.
export type { Pipeline, ErrorInfo, ColumnSchema, ColumnType, PortType, PortValue, Recipe, Category, NodeHelp, ParamUi };
export type { NodeResult, NodeStatus, RunEvent, RunSummary, ColumnProfile, TablePage, RunComparison, RunRecord };
export type { AuditEntry, GateResult, ModelStage };
export { RUN_EVENT_TYPES } from '../spec/run-events.ts';
