import { constants } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize } from 'node:path';
import { parsePipeline, splitEndpoint, type Pipeline } from '../schema/index.ts';
import { FlowlineError } from '../spec/errors.ts';
import type { TemplateInfo } from './api.ts';
import { DEFAULT_TEMPLATES_DIR } from './service/state-dir.ts';

/** The example pipelines shipped in templates/, with what the gallery shows of each, read from the files. */
export async function listTemplates(dir: string = DEFAULT_TEMPLATES_DIR): Promise<TemplateInfo[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: TemplateInfo[] = [];
  for (const name of names.filter((n) => n.endsWith('.flow.json')).sort()) {
    const path = join(dir, name);
    let doc: Pipeline;
    try {
      doc = parsePipeline(await readFile(path, 'utf8'), name);
    } catch {
      // A template that does not parse is left out of the gallery rather than breaking it.
      continue;
    }
    const meta = doc.template;
    out.push({
      id: name.slice(0, -'.flow.json'.length),
      name: doc.name,
      description: doc.description ?? '',
      path,
      tags: doc.tags ?? [],
      task: meta?.task ?? '',
      ...(meta ? { difficulty: meta.difficulty, threshold: meta.threshold } : {}),
      stages: meta?.stages ?? [],
      dataFiles: await dataFilesOf(doc, dir),
      preview: previewOf(doc),
    });
  }
  return out;
}

/** Relative `path` params that name a file beside the template (its data). */
async function dataFilesOf(doc: Pipeline, dir: string): Promise<string[]> {
  const files = new Set<string>();
  for (const node of doc.nodes) {
    const p = (node.params as Record<string, unknown>).path;
    if (typeof p !== 'string' || !p || isAbsolute(p) || normalize(p).startsWith('..')) continue;
    if (await stat(join(dir, p)).then((s) => s.isFile(), () => false)) files.add(normalize(p));
  }
  return [...files].sort();
}

function previewOf(doc: Pipeline): TemplateInfo['preview'] {
  const positions = doc.layout?.positions ?? {};
  return {
    nodes: doc.nodes.map((n, i) => ({ id: n.id, group: n.type.split('.')[0], x: positions[n.id]?.x ?? i * 280, y: positions[n.id]?.y ?? 0 })),
    edges: doc.edges.map((e) => [splitEndpoint(e.from).node, splitEndpoint(e.to).node]),
    notes: doc.layout?.notes.length ?? 0,
  };
}

/**
 * "Use this template": copy a template and the data files it reads into `dir` (data keep their
 * relative paths, so the copy runs as the original does), never over an existing file — the
 * shipped original stays clean and nothing of the user's is lost.
 */
export async function copyTemplate(templatesDir: string, id: string, dir: string): Promise<{ path: string; text: string; pipeline: Pipeline; files: string[] }> {
  const template = (await listTemplates(templatesDir)).find((t) => t.id === id);
  if (!template) {
    throw new FlowlineError({ code: 'FILE_NOT_FOUND', message: `There is no template '${id}'.`, hint: 'Pick one from the gallery (flowline templates lists them).' });
  }
  const files = [`${id}.flow.json`, ...template.dataFiles];
  for (const f of files) {
    if (await stat(join(dir, f)).then(() => true, () => false)) {
      throw new FlowlineError({ code: 'INVALID_PARAM', file: join(dir, f), message: `Cannot use the template here: ${join(dir, f)} already exists.`, hint: 'Pick an empty folder, or a new one.' });
    }
  }
  for (const f of files) {
    await mkdir(dirname(join(dir, f)), { recursive: true });
    await copyFile(join(templatesDir, f), join(dir, f), constants.COPYFILE_EXCL);
  }
  const path = join(dir, files[0]);
  const text = await readFile(path, 'utf8');
  return { path, text, pipeline: parsePipeline(text, path), files };
}
