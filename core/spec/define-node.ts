import { z } from 'zod';
import type { ColumnType, PortType, PortValueOf } from './values.ts';
import type { RunContext } from './context.ts';
import type { ParamsSchema } from './params.ts';
import { seedParam } from './seed.ts';
import { columnSelector } from './columns.ts';
import type { ErrorInfo } from './errors.ts';
import type { KnownInputs, KnownOutputs, KnownTable } from './known-columns.ts';

export const CATEGORIES = ['Sources', 'Clean', 'Features', 'Split', 'Train', 'Tune', 'Evaluate', 'Explain', 'Export', 'Utility'] as const;
export type Category = (typeof CATEGORIES)[number];

export interface InputPort<T extends PortType = PortType> {
  type: T;
  label: string;
  /** Default true. An optional input may be left unconnected. */
  required?: boolean;
  /** Accepts several edges (e.g. the SQL node's tables); the value is then an array. */
  multiple?: boolean;
}

export interface OutputPort<T extends PortType = PortType> {
  type: T;
  label: string;
}

/** Hints for the inspector form, carried in zod `.meta({ ui })`. */
export interface ParamUi {
  widget?: 'column' | 'columns' | 'code' | 'file' | 'secret' | 'textarea' | 'json';
  /** Input port whose upstream schema feeds the column picker. */
  port?: string;
  /** Column types the picker offers (all when absent). */
  types?: ColumnType[];
  language?: 'sql' | 'javascript' | 'expression';
  /** File dialog filters, e.g. [{ name: 'CSV', extensions: ['csv', 'tsv'] }]. */
  filters?: { name: string; extensions: string[] }[];
  /** Save dialog rather than open dialog. */
  save?: boolean;
  /** Hide behind "Advanced" in the inspector. */
  advanced?: boolean;
  /**
   * A `columns` param that also takes a selector ({"type": "numeric", "pattern", "except"}, see
   * core/spec/columns.ts), not only a list of names.
   */
  selector?: boolean;
}

/** What a node is for, when to use it and what to watch for, with one worked example. */
export interface NodeHelp {
  /** A few sentences of plain text; a blank line starts a new paragraph. */
  text: string;
  /** A concrete case: the settings and what comes out. */
  example: string;
}

type Inputs = Record<string, InputPort>;
type Outputs = Record<string, OutputPort>;

type InputValues<I extends Inputs> = {
  [K in keyof I]: I[K]['multiple'] extends true
    ? PortValueOf[I[K]['type']][]
    : I[K]['required'] extends false
      ? PortValueOf[I[K]['type']] | undefined
      : PortValueOf[I[K]['type']];
};
type OutputValues<O extends Outputs> = { [K in keyof O]: PortValueOf[O[K]['type']] };

export interface NodeSpec<I extends Inputs = Inputs, O extends Outputs = Outputs, P extends ParamsSchema = ParamsSchema> {
  /** Namespaced and permanent, e.g. "data.load_csv". */
  type: string;
  /** Bump when params change meaning; add a migration. */
  version: number;
  title: string;
  category: Category;
  /** One or two sentences for the palette, in the analyst's words. */
  description: string;
  /** Longer help (the studio's Help panel, F1, `flowline nodes --json`). */
  help?: NodeHelp;
  inputs: I;
  outputs: O;
  /** One zod object, or a choice of objects on one key (paramsChoice: Train's learner). */
  params: P;
  /** Can the step run inside a served model (ONNX / Docker)? */
  exportable: boolean;
  /** Never served from cache (e.g. a database query whose rows change outside Flowline). */
  volatile?: boolean;
  /** Runs user code (SQL, JavaScript): the studio asks to trust a foreign pipeline first. */
  runsUserCode?: boolean;
  /**
   * Files the node will read, relative to the pipeline folder; their contents join the cache key.
   * A folder read as a whole (a file pattern's) ends with "/"; anything else must be a regular
   * file, or the run refuses it before reading a byte (a device such as /dev/zero never ends).
   */
  reads?: (params: z.infer<P>) => string[];
  /** Files the node will write, relative to the pipeline folder: outside it, a foreign pipeline needs trust. */
  writes?: (params: z.infer<P>) => string[];
  /** Sends a query to a database (read-only): a foreign pipeline's query needs trust. */
  queriesDatabase?: boolean;
  /** One-line summary of the key params for the node card. */
  summary?: (params: z.infer<P>) => string;
  /**
   * A source's columns without reading its rows (a file's header and types), run by the host
   * before compile (core/host/known-sources.ts, cached by the file's fingerprint). Undefined when
   * they cannot be known cheaply.
   */
  describe?: (params: z.infer<P>, where: { pipelineDir: string } & Pick<RunContext, 'savedConnection'>) => Promise<KnownTable | undefined>;
  /**
   * How the output tables follow from the input tables and params, before anything runs
   * (core/spec/known-columns.ts). Absent, or a port left out: known only after a run.
   */
  columns?: (args: { inputs: KnownInputs; params: z.infer<P> }) => KnownOutputs;
  /**
   * Columns the node reads that no column param lists (those an expression names): compile checks
   * each against the known table on `port` (default "table") as it does column params.
   */
  columnRefs?: (params: z.infer<P>) => { param: string; columns: string[]; port?: string }[];
  /**
   * Checks that need the input columns beyond "is this column there" (which compile does for every
   * column param): e.g. Train's task against the target's number of classes.
   */
  checkColumns?: (args: { inputs: KnownInputs; params: z.infer<P> }) => ErrorInfo[];
  /** Migrate params from an older version of this node. */
  migrate?: (fromVersion: number, params: Record<string, unknown>) => Record<string, unknown>;
  run(args: { inputs: InputValues<I>; params: z.infer<P>; ctx: RunContext }): Promise<OutputValues<O>>;
}

export type AnyNodeSpec = NodeSpec<Inputs, Outputs, ParamsSchema>;

export function defineNode<I extends Inputs, O extends Outputs, P extends ParamsSchema>(spec: NodeSpec<I, O, P>): NodeSpec<I, O, P> {
  if (!/^[a-z][a-z0-9]*(\.[a-z][a-z0-9_]*)+$/.test(spec.type)) throw new Error(`node type "${spec.type}" must be namespaced, e.g. data.load_csv`);
  if (!Number.isInteger(spec.version) || spec.version < 1) throw new Error(`node ${spec.type}: version must be a positive integer`);
  return spec;
}

/** Param helpers that carry inspector hints; every param still gets a default and a description. */
export const param = {
  column(description: string, ui: Omit<ParamUi, 'widget'> = {}) {
    return z.string().min(1, 'choose a column').meta({ description, ui: { widget: 'column', port: 'table', ...ui } });
  },
  /** A list of column names, in an order that matters (join keys, group keys). */
  columns(description: string, ui: Omit<ParamUi, 'widget'> = {}) {
    return z.array(z.string().min(1)).meta({ description, ui: { widget: 'columns', port: 'table', ...ui } });
  },
  /**
   * Columns as a list of names or a selector (all numeric, all text, all except…, a name pattern),
   * resolved against the table when the node runs (core/spec/columns.ts). `ui.types` are the
   * column types the node accepts; a selector picks among those.
   */
  selection(description: string, ui: Omit<ParamUi, 'widget' | 'selector'> = {}) {
    return z
      .union([z.array(z.string().min(1)), columnSelector])
      .meta({ description: `${description}: names, or a selector such as {"type": "numeric", "except": ["id"]}`, ui: { widget: 'columns', port: 'table', selector: true, ...ui } });
  },
  code(description: string, language: NonNullable<ParamUi['language']>) {
    return z.string().meta({ description, ui: { widget: 'code', language } });
  },
  file(description: string, ui: Omit<ParamUi, 'widget'> = {}) {
    return z.string().min(1, 'choose a file').meta({ description, ui: { widget: 'file', ...ui } });
  },
  /** Every node with randomness declares this `seed` (core/spec/seed.ts); the run reads ctx.seed. */
  seed: seedParam,
};

/** The inspector hints of one param, if any. */
export function paramUi(schema: z.ZodType): ParamUi | undefined {
  const meta = z.globalRegistry.get(schema) as { ui?: ParamUi } | undefined;
  if (meta?.ui) return meta.ui;
  const inner = (schema as unknown as { def?: { innerType?: z.ZodType } }).def?.innerType;
  return inner ? paramUi(inner) : undefined;
}
