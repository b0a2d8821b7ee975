// Development only: starts a worker thread whose entry is a TypeScript source (the pool passes
// its URL in workerData.entry). Built apps start their workers from out/worker/index.js instead.
// Node 20 does not pass --import loader hooks on to a worker, so the entry loads as one cached
// bundle (dev/source-bundle.mjs), or through tsx when it cannot be bundled.
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workerData } from 'node:worker_threads';
import { importSources } from './source-bundle.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const entry = fileURLToPath(workerData.entry);
const inRepo = relative(root, entry);
if (inRepo.startsWith('..') || inRepo.includes(`..${sep}`)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(workerData.entry);
} else {
  await importSources('worker', { [inRepo.split(sep).join('/')]: [] });
}
