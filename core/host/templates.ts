import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TemplateInfo } from './api.ts';
import { DEFAULT_TEMPLATES_DIR } from './service/state-dir.ts';

/** The example pipelines shipped in templates/: name, description and tags read from each file. */
export async function listTemplates(dir: string = DEFAULT_TEMPLATES_DIR): Promise<TemplateInfo[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: TemplateInfo[] = [];
  for (const name of names.filter((n) => n.endsWith('.flow.json')).sort()) {
    const path = join(dir, name);
    try {
      const doc = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
      const tags = Array.isArray(doc.tags) ? doc.tags.filter((t): t is string => typeof t === 'string') : [];
      out.push({
        id: name.slice(0, -'.flow.json'.length),
        name: typeof doc.name === 'string' ? doc.name : name,
        description: typeof doc.description === 'string' ? doc.description : '',
        path,
        tags,
      });
    } catch {
      // A template that does not parse is left out of the gallery rather than breaking it.
    }
  }
  return out;
}
