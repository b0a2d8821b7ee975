/**
 * `flowline export docker FILE --node TRAIN --out DIR`: the serving bundle from the CLI.
 * (`flowline export onnx` lives beside it.)
 */
import { basename } from 'node:path';
import { dockerBundleFromPipeline } from './docker-export.ts';
import type { CliParts } from './cli.ts';
import { parseCommandArgs } from './cli-args.ts';
import { FlowlineError } from '../spec/errors.ts';

interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

export const EXPORT_DOCKER_USAGE = `flowline export docker <file.flow.json> --node TRAIN_NODE --out DIR
    [--challenger TRAIN_NODE_2] [--routing ab|canary|shadow] [--challenger-percent 10]
    [--unknown-category accept|reject] [--extra-fields ignore|reject] [--max-rows N] [--exact] [--no-zip] [--json]
flowline export docker <file.flow.json> --node TRAIN_NODE_2 --add-challenger-to DIR [--routing ...] [--challenger-percent N]`;

function bad(message: string): never {
  throw new FlowlineError({ code: 'BAD_SET', message, hint: EXPORT_DOCKER_USAGE });
}

export async function exportDockerCommand(args: string[], parts: CliParts, io: Io): Promise<number> {
  const { values: v, positionals } = parseCommandArgs(
    args,
    {
      node: { type: 'string' },
      out: { type: 'string' },
      challenger: { type: 'string' },
      'add-challenger-to': { type: 'string' },
      routing: { type: 'string' },
      'challenger-percent': { type: 'string' },
      'unknown-category': { type: 'string' },
      'extra-fields': { type: 'string' },
      'max-rows': { type: 'string' },
      exact: { type: 'boolean' },
      'no-zip': { type: 'boolean' },
      json: { type: 'boolean' },
    },
    EXPORT_DOCKER_USAGE,
    'flowline export docker',
  );
  if (positionals.length !== 1) bad('flowline export docker: give exactly one pipeline file.');
  if (!v.node) bad('flowline export docker: --node names the Train node to export.');
  const addTo = v['add-challenger-to'];
  if (!v.out && !addTo) bad('flowline export docker: --out DIR says where to write the bundle.');
  if (addTo && (v.out || v.challenger)) bad('flowline export docker: --add-challenger-to takes the model of --node as the new challenger; leave out --out and --challenger.');
  const routing = v.routing as 'ab' | 'canary' | 'shadow' | undefined;
  if (routing !== undefined && !['ab', 'canary', 'shadow'].includes(routing)) bad(`flowline export docker: --routing is ab, canary or shadow, not "${routing}".`);
  const percent = v['challenger-percent'] === undefined ? undefined : Number(v['challenger-percent']);
  if (percent !== undefined && !(percent >= 0 && percent <= 100)) bad('flowline export docker: --challenger-percent is a number from 0 to 100.');
  const unknownCategory = v['unknown-category'] as 'accept' | 'reject' | undefined;
  if (unknownCategory !== undefined && !['accept', 'reject'].includes(unknownCategory)) bad('flowline export docker: --unknown-category is accept or reject.');
  const extraFields = v['extra-fields'] as 'ignore' | 'reject' | undefined;
  if (extraFields !== undefined && !['ignore', 'reject'].includes(extraFields)) bad('flowline export docker: --extra-fields is ignore or reject.');
  const maxRows = v['max-rows'] === undefined ? undefined : Number(v['max-rows']);
  if (maxRows !== undefined && !(Number.isInteger(maxRows) && maxRows > 0)) bad('flowline export docker: --max-rows is a whole number above 0.');

  const result = await dockerBundleFromPipeline(
    {
      path: positionals[0],
      node: v.node,
      out: addTo ?? v.out!,
      challenger: v.challenger,
      addToExisting: Boolean(addTo),
      routing,
      challengerPercent: percent,
      unknownCategory,
      extraFields,
      maxRows,
      exact: v.exact,
      zip: !v['no-zip'],
    },
    parts,
  );
  if (v.json) {
    io.stdout.write(`${JSON.stringify({ status: 'done', dir: result.dir, zip: result.zip ?? null, models: result.manifest.models.map((m) => ({ name: m.name, version: m.version, role: m.role })), routing: result.manifest.routing, files: result.files })}\n`);
    return 0;
  }
  const sourceOf = (trainNode: string) => result.sources.find((s) => s.model.trainedOn.nodeId === trainNode)?.heldOut.source ?? 'the rows it was exported with';
  for (const m of result.manifest.models) io.stdout.write(`${m.role} ${m.name} version ${m.version} (${m.learner}, ${m.task}), verified on ${sourceOf(m.lineage.trainNode)}\n`);
  if (result.manifest.models.length > 1) io.stdout.write(`routing: ${result.manifest.routing.mode}${result.manifest.routing.mode === 'shadow' ? '' : ` (${result.manifest.routing.challengerPercent}% to the challenger)`}\n`);
  io.stdout.write(`wrote ${result.dir}${result.zip ? ` and ${result.zip}` : ''}\nrun it:   cd ${result.dir} && npm ci && node server.js\n          or docker build -t ${basename(result.dir).toLowerCase()} ${result.dir} && docker run -p 8080:8080 ${basename(result.dir).toLowerCase()}\n`);
  return 0;
}
