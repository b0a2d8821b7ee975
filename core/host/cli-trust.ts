/**
 * The CLI's trust gate: before running a pipeline file that would run code, query a database, or
 * read or write files outside its folder (side-effects.ts), and that this machine has not trusted
 * (the studio's trust store: this path with this content), `flowline run` says what it would do
 * and asks. `--trust` (or `--yes`) runs without asking. Without a terminal to ask on, it refuses
 * with exit code 2 and the list, so a pipeline from elsewhere never runs unseen in a script.
 * What `--set` sets is the user's own choice, never counted against the file.
 */
import { createInterface } from 'node:readline/promises';
import { dirname, resolve, sep } from 'node:path';
import type { AnyNodeSpec } from '../spec/define-node.ts';
import type { PipelineFile } from './pipeline-file.ts';
import { sideEffects, type SideEffect } from './side-effects.ts';
import { StateStore } from './service/state.ts';
import { DEFAULT_TEMPLATES_DIR, defaultStateDir } from './service/state-dir.ts';

export interface TrustPrompt {
  /** Ask a yes/no question on the terminal; absent when there is no terminal to ask on. */
  ask?: (question: string) => Promise<string>;
  write(text: string): void;
}

export interface CliTrustOptions {
  set?: string[];
  to?: string;
  /** --trust / --yes */
  trusted: boolean;
  /** Where the trust store lives (default: the studio's state folder). */
  stateDir?: string;
  templatesDir?: string;
}

export type TrustDecision = { run: true } | { run: false; effects: SideEffect[]; asked: boolean };

/**
 * The side effects of a pipeline file that this machine has not trusted (none for a template, a
 * trusted file, or --trust). `flowline validate` does not describe a source whose effect is listed
 * here (describing a query contacts the database), and never asks.
 */
export async function untrustedEffects(file: PipelineFile, nodes: readonly AnyNodeSpec[], options: CliTrustOptions): Promise<{ effects: SideEffect[]; state: StateStore }> {
  const state = new StateStore(resolve(options.stateDir ?? defaultStateDir()));
  const templates = resolve(options.templatesDir ?? DEFAULT_TEMPLATES_DIR);
  if (options.trusted || file.path.startsWith(templates + sep)) return { effects: [], state };
  const effects = sideEffects(file.pipeline, nodes, { pipelineDir: dirname(file.path), trustedFolders: await state.trustedFolders(), set: options.set, to: options.to });
  if (!effects.length || (await state.isTrusted(file.path, file.text))) return { effects: [], state };
  return { effects, state };
}

export async function cliTrustGate(file: PipelineFile, nodes: readonly AnyNodeSpec[], prompt: TrustPrompt, options: CliTrustOptions): Promise<TrustDecision> {
  const { effects, state } = await untrustedEffects(file, nodes, options);
  if (!effects.length) return { run: true };
  if (!prompt.ask) return { run: false, effects, asked: false };
  prompt.write(`${file.path} has not been trusted on this machine. It would:\n${effects.map((e) => `  - ${e.what}`).join('\n')}\n`);
  const answer = (await prompt.ask('Run it? [y/N] ')).trim().toLowerCase();
  if (answer !== 'y' && answer !== 'yes') return { run: false, effects, asked: true };
  // Remembered, as the studio's "Trust and run" is: the next run of this content does not ask.
  await state.trust(file.path, file.text);
  await state.markTrusted(effects.map((e) => e.key));
  return { run: true };
}

/** A question on the terminal, when stdin and stderr are both one (never in a pipe or CI). */
export function terminalPrompt(stdin: NodeJS.ReadStream, stderr: NodeJS.WriteStream): TrustPrompt['ask'] {
  if (!stdin.isTTY || !stderr.isTTY) return undefined;
  return async (question) => {
    const rl = createInterface({ input: stdin, output: stderr });
    try {
      return await rl.question(question);
    } finally {
      rl.close();
    }
  };
}
