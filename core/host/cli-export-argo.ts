/**
 * `flowline export argo FILE --image IMAGE --out workflow.json`: the pipeline as an Argo Workflows
 * DAG for a Kubernetes cluster (core/export/argo/workflow.ts; docs/scale-out.md).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { compile } from '../compile/index.ts';
import { argoWorkflow, type ArgoStep } from '../export/argo/workflow.ts';
import { FlowlineError } from '../spec/errors.ts';
import type { CliParts } from './cli.ts';
import { parseCommandArgs } from './cli-args.ts';
import { cliTrustGate } from './cli-trust.ts';
import { readPipelineFile, writeFileAtomic } from './pipeline-file.ts';

interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

export const EXPORT_ARGO_USAGE = `flowline export argo <file.flow.json> --image IMAGE --out workflow.json
    [--claim PVC] [--mount /flowline] [--project-dir project] [--namespace NS] [--service-account SA] [--trust]`;

function bad(message: string): never {
  throw new FlowlineError({ code: 'BAD_ARGUMENTS', message, hint: EXPORT_ARGO_USAGE });
}

export async function exportArgoCommand(args: string[], { nodes }: CliParts, io: Io): Promise<number> {
  const { values: v, positionals } = parseCommandArgs(
    args,
    {
      image: { type: 'string' },
      out: { type: 'string' },
      claim: { type: 'string', default: 'flowline-project' },
      mount: { type: 'string', default: '/flowline' },
      'project-dir': { type: 'string', default: 'project' },
      namespace: { type: 'string' },
      'service-account': { type: 'string' },
      trust: { type: 'boolean' },
      yes: { type: 'boolean' },
    },
    EXPORT_ARGO_USAGE,
    'flowline export argo',
  );
  if (positionals.length !== 1) bad('flowline export argo: give exactly one pipeline file.');
  if (!v.image) bad('flowline export argo: --image names the image with the flowline CLI (built from Dockerfile.worker).');
  if (!v.out) bad('flowline export argo: --out says where to write the workflow (JSON; argo submit and kubectl take it).');
  if (!v.mount.startsWith('/')) bad('flowline export argo: --mount is an absolute path inside the container.');

  const file = await readPipelineFile(positionals[0]);
  const { plan, diagnostics } = compile(file.pipeline, nodes);
  if (!plan) {
    const first = diagnostics.find((d) => d.severity === 'error')!;
    throw new FlowlineError({ ...first, message: `the pipeline is not valid: ${first.message}`, file: file.path });
  }
  // Every task runs the file with --yes, unattended: only a file this machine trusts (or --trust) is exported.
  const trust = await cliTrustGate(file, nodes, { write: () => {} }, { trusted: !!(v.trust || v.yes) });
  if (!trust.run) {
    throw new FlowlineError({
      code: 'NOT_TRUSTED',
      file: file.path,
      message: `${file.path} has not been trusted on this machine, and the workflow would run it unattended. It would:\n${trust.effects.map((e) => `      - ${e.what}`).join('\n')}`,
      hint: 'Read what it would do; if you trust where it came from, export it again with --trust.',
    });
  }
  const steps: ArgoStep[] = plan.nodes.map((n) => ({
    id: n.id,
    category: n.spec.category,
    upstream: [...new Set(Object.values(n.inputs).flatMap((ins) => ins.map((i) => i.node)))],
  }));
  const workflow = argoWorkflow(steps, {
    name: plan.name,
    fileName: basename(file.path),
    // The bytes on disk, which is what each task checks with sha256sum.
    fileSha256: createHash('sha256').update(await readFile(file.path)).digest('hex'),
    image: v.image,
    claim: v.claim,
    mountPath: v.mount,
    projectDir: v['project-dir'],
    namespace: v.namespace,
    serviceAccount: v['service-account'],
  });
  await writeFileAtomic(v.out, `${JSON.stringify(workflow, null, 2)}\n`);
  io.stdout.write(`wrote ${v.out}: ${steps.length} steps; copy ${basename(file.path)}'s folder to ${v['project-dir'] || '/'} on volume claim "${v.claim}", then: argo submit ${v.out}\n`);
  return 0;
}
