/**
 * The layer map is an allow-list (lint/layers.js): a file planted in each layer that imports from
 * a layer above it fails `npm run lint` with a message naming both; the imports the map allows pass.
 */
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT });
});

async function layerErrors(file: string, imports: string[]): Promise<string[]> {
  const code = imports.map((s, i) => `import * as m${i} from '${s}';`).join('\n') + `\nexport const all = [${imports.map((_, i) => `m${i}`).join(', ')}];\n`;
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}${file}` });
  return result.messages.filter((m) => m.ruleId === 'layers/allowed-imports').map((m) => m.message);
}

const UPWARD: [file: string, imports: string[]][] = [
  ['core/spec/planted.ts', ['../schema/pipeline.ts', '../exec/index.ts', 'node:fs']],
  ['core/schema/planted.ts', ['../compile/index.ts', '../host/api.ts']],
  ['core/compile/planted.ts', ['../exec/index.ts', '../data/tables.ts']],
  ['core/exec/planted.ts', ['../data/tables.ts', '../ml/model.ts', '../host/api.ts']],
  ['core/data/planted.ts', ['../ml/recipe.ts', '../export/index.ts', '../host/service.ts']],
  ['core/ml/planted.ts', ['../export/index.ts', '../host/worker-tasks.ts', '../../nodes/index.ts']],
  ['core/host/planted.ts', ['../../nodes/index.ts', '../../electron/ipc.ts', '../../renderer/src/App.tsx']],
  ['nodes/planted.node.ts', ['../core/host/cli.ts', './train-model.node.ts', '../electron/ipc.ts']],
  ['electron/preload/planted.ts', ['../../core/host/service.ts', '../../core/exec/index.ts', '../../nodes/index.ts']],
  ['renderer/src/planted.ts', ['../../core/exec/index.ts', '../../core/host/service.ts', 'node:fs', 'electron']],
  ['charts/planted.tsx', ['../core/exec/index.ts', '../renderer/src/App.tsx', 'node:fs', 'react-dom/server']],
  ['core/report/planted.ts', ['../exec/index.ts', '../host/api.ts', '../../renderer/src/App.tsx', 'electron']],
  ['core/data/planted.ts', ['react', 'react-dom/server']],
];

const ALLOWED: [file: string, imports: string[]][] = [
  ['core/schema/planted.ts', ['../spec/errors.ts', 'zod']],
  ['core/exec/planted.ts', ['../compile/compile.ts', '../spec/random.ts', 'node:fs']],
  ['core/data/planted.ts', ['../exec/hash.ts', '../spec/table-page.ts', '@duckdb/node-api']],
  ['core/ml/planted.ts', ['../data/tables.ts', '../spec/run-events.ts']],
  ['core/host/planted.ts', ['../ml/model.ts', '../exec/index.ts', './api.ts']],
  ['nodes/planted.node.ts', ['../core/ml/model.ts', '../core/spec/index.ts']],
  ['nodes/index.ts', ['./train-model.node.ts']],
  ['electron/preload/planted.ts', ['../ipc.ts', '../../core/host/api.ts', 'electron']],
  ['renderer/src/planted.ts', ['../../core/host/api.ts', '../../core/compile/index.ts', 'react', '../../charts/Chart.tsx']],
  ['charts/planted.tsx', ['../core/spec/values.ts', 'react']],
  ['core/report/planted.ts', ['../../charts/Chart.tsx', '../spec/values.ts', 'react', 'react-dom/server', 'node:fs/promises']],
  ['nodes/planted.node.ts', ['../core/report/index.ts']],
  ['core/host/planted.ts', ['../report/index.ts']],
];

describe('lint enforces the layer map as an allow-list', () => {
  it.each(UPWARD)('%s: every upward or sideways import fails', async (file, imports) => {
    const errors = await layerErrors(file, imports);
    expect(errors, errors.join('\n')).toHaveLength(imports.length);
    for (const e of errors) expect(e).toMatch(/^Layer boundary: .*docs\/architecture\.md/);
  });

  it.each(ALLOWED)('%s: the imports its layer lists pass', async (file, imports) => {
    expect(await layerErrors(file, imports)).toEqual([]);
  });

  it('names the layer and the forbidden target', async () => {
    expect(await layerErrors('core/data/planted.ts', ['../ml/recipe.ts'])).toEqual([
      'Layer boundary: core/data/ may import only itself, core/spec/, core/schema/, core/exec/, not core/ml/recipe.ts. See docs/architecture.md, "Layers".',
    ]);
  });
});
