#!/usr/bin/env node
// The `flowline` command. An installed package runs the build (out/cli/flowline.js, made by
// `npm run build`); a source checkout runs its TypeScript (bin/flowline-main.ts) as one cached
// bundle (dev/source-bundle.mjs: rebuilt whenever a source changes), so editing needs no build.
import { existsSync } from 'node:fs';

const sources = new URL('./flowline-main.ts', import.meta.url);
if (existsSync(sources)) {
  const { importSources } = await import('../dev/source-bundle.mjs');
  await importSources('cli', { 'bin/flowline-main.ts': [] });
} else {
  await import('../out/cli/flowline.js');
}
