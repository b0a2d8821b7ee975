/**
 * The studio's trust gate. A pipeline may run code, query a database, or read and write files
 * outside its folder (side-effects.ts) only when the user has trusted what it does:
 *
 * - A file opened from disk that has side effects and was not trusted before (this path, this
 *   content) needs trust; its side effects are remembered as untrusted, by their content.
 * - A run is refused while any of its side effects is remembered as untrusted — whatever the
 *   request says about where it came from. So saving an untrusted pipeline (under any name), an
 *   unsaved copy, recovered work, or nodes pasted into another pipeline all stay untrusted; a side
 *   effect the user writes themselves in the studio was never seen in a foreign file and runs.
 * - "Trust and run" trusts the run's side effects, and the file at its path as it is on disk.
 * - Saving trusts the saved file only when nothing in it is untrusted.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { parsePipeline } from '../../schema/index.ts';
import type { Pipeline } from '../../schema/pipeline.ts';
import type { AnyNodeSpec } from '../../spec/define-node.ts';
import { FlowlineError } from '../../spec/errors.ts';
import type { RunRequest, SideEffectInfo } from '../api.ts';
import { sideEffects, type SideEffect } from '../side-effects.ts';
import type { StateStore } from './state.ts';

export class TrustGate {
  private folders: string[] = [];
  private readonly loaded: Promise<void>;

  constructor(
    private readonly state: StateStore,
    private readonly nodes: readonly AnyNodeSpec[],
    private readonly where: { cwd: string; templatesDir: string },
  ) {
    this.loaded = state.trustedFolders().then((f) => void (this.folders = f));
  }

  /** Folders the user trusted (known once the state is read). */
  trustedFolders(): readonly string[] {
    return this.folders;
  }

  isTemplate(abs: string): boolean {
    return abs.startsWith(this.where.templatesDir + sep);
  }

  /** The side effects of `pipeline` run from `path` (its folder; unsaved: the studio's folder) that need trust. */
  async effects(pipeline: Pipeline, path?: string, options: { set?: string[]; to?: string } = {}): Promise<SideEffect[]> {
    await this.loaded;
    const pipelineDir = path ? dirname(resolve(this.where.cwd, path)) : this.where.cwd;
    return sideEffects(pipeline, this.nodes, { pipelineDir, trustedFolders: this.folders, ...options });
  }

  /** A file was opened: does it need trust? If so its side effects are remembered as untrusted. */
  async opened(abs: string, pipeline: Pipeline, text: string): Promise<{ needsTrust: boolean; sideEffects: SideEffectInfo[] }> {
    const effects = await this.effects(pipeline, abs);
    const needsTrust = effects.length > 0 && !this.isTemplate(abs) && !(await this.state.isTrusted(abs, text));
    if (needsTrust) await this.state.markUntrusted(effects.map((e) => e.key));
    return { needsTrust, sideEffects: needsTrust ? effects.map(info) : [] };
  }

  /** After a save: the file is trusted only if none of its side effects is untrusted. */
  async saved(abs: string, pipeline: Pipeline, text: string): Promise<boolean> {
    const untrusted = await this.refused(await this.effects(pipeline, abs));
    if (untrusted.length === 0) await this.state.trust(abs, text);
    return untrusted.length === 0;
  }

  /** Trust a file as it is on disk, and its side effects. */
  async trustFile(abs: string, pipeline: Pipeline, text: string): Promise<void> {
    await this.state.trust(abs, text);
    await this.state.markTrusted((await this.effects(pipeline, abs)).map((e) => e.key));
  }

  /** "Trust and run": every side effect of this run, and the file at its path. */
  async trustRun(request: RunRequest, pipeline: Pipeline): Promise<void> {
    await this.state.markTrusted((await this.effects(pipeline, request.path, request)).map((e) => e.key));
    if (!request.path) return;
    const abs = resolve(this.where.cwd, request.path);
    const text = await readFile(abs, 'utf8').catch(() => null);
    if (text !== null) await this.state.trust(abs, text);
  }

  async trustFolder(dir: string): Promise<void> {
    await this.loaded;
    await this.state.trustFolder(dir);
    this.folders = await this.state.trustedFolders();
  }

  /** Throws NOT_TRUSTED, listing what it would do, when the run has a side effect that is not trusted. */
  async check(request: RunRequest, pipeline: Pipeline): Promise<void> {
    const effects = await this.effects(pipeline, request.path, request);
    if (!effects.length) return;
    // A file never opened here (a run by path from an earlier session) is judged as opening it would.
    if (request.path) await this.noteFileOnDisk(resolve(this.where.cwd, request.path));
    const refused = await this.refused(effects);
    if (!refused.length) return;
    const from = request.path ? resolve(this.where.cwd, request.path) : 'This pipeline (not saved)';
    throw new FlowlineError({
      code: 'NOT_TRUSTED',
      message: `${from} has not been trusted on this machine, so it was not run. It would:\n${refused.map((e) => `  - ${e.what}`).join('\n')}`,
      hint: 'Check what it does, then choose "Trust and run".',
      file: request.path ? from : undefined,
      details: refused.map((e) => e.what),
    });
  }

  /** Those of `effects` a run would be refused for (remembered as untrusted). */
  async refused(effects: SideEffect[]): Promise<SideEffect[]> {
    if (!effects.length) return [];
    const untrusted = await this.state.untrustedEffects();
    return effects.filter((e) => untrusted.has(e.key));
  }

  private async noteFileOnDisk(abs: string): Promise<void> {
    if (this.isTemplate(abs)) return;
    const text = await readFile(abs, 'utf8').catch(() => null);
    if (text === null || (await this.state.isTrusted(abs, text))) return;
    let pipeline: Pipeline;
    try {
      pipeline = parsePipeline(text, abs);
    } catch {
      return;
    }
    await this.state.markUntrusted((await this.effects(pipeline, abs)).map((e) => e.key));
  }
}

export function info(e: SideEffect): SideEffectInfo {
  return { nodeId: e.nodeId, kind: e.kind, what: e.what };
}
