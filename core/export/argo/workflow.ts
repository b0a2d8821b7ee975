/**
 * A pipeline as an Argo Workflows `Workflow`: one DAG task per node, each running
 * `flowline run FILE --to NODE` in the same image against the same project folder on a shared
 * volume. The cache lives beside the pipeline file (`.flowline/cache`, the one cache rule of the
 * CLI and the studio), so a task finds every upstream result its predecessors wrote, by content
 * hash, and a rerun of the workflow (or a local `flowline run` on that folder) recomputes nothing.
 *
 * Pure: the host compiles the pipeline and hands over the steps in topological order.
 */
import type { Category } from '../../spec/define-node.ts';

export interface ArgoStep {
  /** The pipeline's node id (any NODE_ID: letters, digits, `_` and `-`). */
  id: string;
  category: Category;
  /** Ids of the nodes whose outputs feed this one (edges), each a step too. */
  upstream: string[];
}

export interface ArgoOptions {
  /** The pipeline's name, for the workflow's generateName. */
  name: string;
  /** The pipeline file's name inside the project folder, e.g. `churn.flow.json`. */
  fileName: string;
  /** sha256 of the pipeline file's bytes: a task refuses to run a file changed since the export. */
  fileSha256: string;
  /** The image with the `flowline` CLI (Dockerfile.worker). */
  image: string;
  /** PersistentVolumeClaim holding the project folder (pipeline, its data, its cache). */
  claim: string;
  /** Where the claim is mounted in each task's container. */
  mountPath: string;
  /** The project folder's path inside the claim ('' = the claim's root). */
  projectDir: string;
  namespace?: string;
  serviceAccount?: string;
}

/** Node kinds whose tasks ask the scheduler for more: training, tuning and explaining. */
const HEAVY: ReadonlySet<Category> = new Set<Category>(['Train', 'Tune', 'Explain']);
const classOf = (c: Category) => (HEAVY.has(c) ? 'heavy' : 'light');

const REQUESTS = {
  light: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '4Gi' } },
  heavy: { requests: { cpu: '2', memory: '4Gi' }, limits: { memory: '16Gi' } },
} as const;

/** An Argo task name: alphanumerics and '-', starting with an alphanumeric. Unique per workflow. */
export function taskNames(ids: readonly string[]): Map<string, string> {
  const names = new Map<string, string>();
  const used = new Set<string>();
  for (const id of ids) {
    const base = id.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+/, '').slice(0, 50) || 'node';
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}-${i}`;
    used.add(name);
    names.set(id, name);
  }
  return names;
}

/**
 * The shell line each task runs: check the pipeline file is the exported one, then run the
 * pipeline up to the node given as `$0` (Argo substitutes the task's `node` parameter there).
 * `--yes`: the file was trusted when it was exported (the export refuses an untrusted file).
 */
export function taskScript(pipelinePath: string, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('sha256 must be 64 hex digits');
  const file = shellQuote(pipelinePath);
  return `printf '%s  %s\\n' ${sha256} ${file} | sha256sum -c --quiet - && exec flowline run ${file} --to "$0" --yes --json`;
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The Workflow object (serialise as JSON or YAML: `argo submit` and `kubectl create` take both). */
export function argoWorkflow(steps: readonly ArgoStep[], o: ArgoOptions) {
  const names = taskNames(steps.map((s) => s.id));
  const project = [o.mountPath.replace(/\/+$/, ''), o.projectDir].filter(Boolean).join('/');
  const script = taskScript(`${project}/${o.fileName}`, o.fileSha256);
  const volume = 'flowline-project';
  const classes = [...new Set(steps.map((s) => classOf(s.category)))].sort();
  const template = (cls: 'light' | 'heavy') => ({
    name: `flowline-node-${cls}`,
    inputs: { parameters: [{ name: 'node' }] },
    container: {
      name: 'main',
      image: o.image,
      command: ['sh', '-c', script],
      args: ['{{inputs.parameters.node}}'],
      workingDir: project,
      volumeMounts: [{ name: volume, mountPath: o.mountPath }],
      resources: REQUESTS[cls],
    },
  });
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: {
      generateName: `${slug(o.name)}-`,
      ...(o.namespace ? { namespace: o.namespace } : {}),
      labels: { 'app.kubernetes.io/name': 'flowline', 'app.kubernetes.io/component': 'pipeline-run' },
      annotations: { 'flowline.dev/pipeline-file': o.fileName, 'flowline.dev/pipeline-sha256': o.fileSha256 },
    },
    spec: {
      entrypoint: 'pipeline',
      ...(o.serviceAccount ? { serviceAccountName: o.serviceAccount } : {}),
      volumes: [{ name: volume, persistentVolumeClaim: { claimName: o.claim } }],
      templates: [
        {
          name: 'pipeline',
          dag: {
            tasks: steps.map((s) => ({
              name: names.get(s.id)!,
              template: `flowline-node-${classOf(s.category)}`,
              arguments: { parameters: [{ name: 'node', value: s.id }] },
              ...(s.upstream.length ? { dependencies: [...new Set(s.upstream)].map((u) => names.get(u)!) } : {}),
            })),
          },
        },
        ...classes.map(template),
      ],
    },
  };
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'flowline';
}
