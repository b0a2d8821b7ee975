// The layer map (docs/architecture.md, "Layers") as an ALLOW-list: a file may import only from
// the places its layer lists. Anything else — an upward import, a sideways one nobody decided
// on — fails lint with the rule's message. Paths are relative to the repository root; an entry
// ending in '/' is a folder, any other a single file. The most specific layer a file falls in wins.
import { builtinModules } from 'node:module';
import { dirname, isAbsolute, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the layer paths below are relative to it. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

const PURE = ['zod'];
const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/**
 * `may`: where the layer's files may import from (its own folder is always allowed).
 * `packages`: 'any' (npm packages and Node built-ins), or a list of the only packages allowed.
 * `forbidPackages`: packages refused even under 'any'.
 */
export const LAYERS = [
  // -- the pure core: the studio bundles these, so zod only, no Node --
  { layer: 'core/spec/', may: [], packages: PURE },
  { layer: 'core/schema/', may: ['core/spec/'], packages: PURE },
  { layer: 'core/compile/', may: ['core/spec/', 'core/schema/'], packages: PURE },
  // -- the engine, bottom up --
  { layer: 'core/exec/', may: ['core/spec/', 'core/schema/', 'core/compile/'], packages: 'any' },
  { layer: 'core/data/', may: ['core/spec/', 'core/schema/', 'core/exec/'], packages: 'any' },
  { layer: 'core/ml/', may: ['core/spec/', 'core/schema/', 'core/exec/', 'core/data/'], packages: 'any' },
  { layer: 'core/export/', may: ['core/spec/', 'core/schema/', 'core/exec/', 'core/data/', 'core/ml/'], packages: 'any' },
  // The serving bundle's server is compiled into one file that ships with onnxruntime-node as its
  // only dependency: Node built-ins, onnxruntime-node and its own folder, nothing else.
  { layer: 'core/export/serving/server/', may: [], packages: ['onnxruntime-node', ...NODE_BUILTINS] },
  // The run report: static HTML with the studio's own charts rendered to SVG by react-dom/server.
  // The one place below the composition roots that may use React, and only to render markup.
  { layer: 'core/report/', may: ['core/spec/', 'core/schema/', 'core/data/', 'charts/'], packages: ['react', 'react-dom', ...NODE_BUILTINS] },
  // -- the hosts: the service, the CLI, the web host; the contract the studio speaks --
  { layer: 'core/host/', may: ['core/'], packages: 'any' },
  { layer: 'core/host/api.ts', may: ['core/spec/', 'core/schema/'], packages: [] },
  { layer: 'core/host/wire.ts', may: ['core/spec/', 'core/host/api.ts'], packages: [] },
  // -- stage nodes: declarations over core's algorithms, never each other --
  { layer: 'nodes/', may: ['core/spec/', 'core/schema/', 'core/data/', 'core/ml/', 'core/export/', 'core/report/'], packages: 'any', noSiblings: true },
  { layer: 'nodes/index.ts', may: ['nodes/', 'core/spec/'], packages: [] },
  // -- Electron: main and the service process are composition roots; the preload sees the contract only --
  { layer: 'electron/', may: ['core/host/', 'core/spec/', 'core/schema/', 'core/compile/', 'nodes/index.ts'], packages: 'any' },
  { layer: 'electron/ipc.ts', may: ['core/host/api.ts', 'core/spec/errors.ts'], packages: [] },
  { layer: 'electron/preload/', may: ['electron/ipc.ts', 'core/host/api.ts'], packages: ['electron'] },
  // -- the charts: pure React components (a ChartSpec in, SVG out), drawn by the studio and, rendered
  // to static SVG on the server, by the run report (core/report/), so the two never disagree --
  { layer: 'charts/', may: ['core/spec/'], packages: ['react'] },
  // -- the studio: the pure core and the contract, nothing that runs pipelines --
  { layer: 'renderer/', may: ['core/spec/', 'core/schema/', 'core/compile/', 'core/host/api.ts', 'core/host/wire.ts', 'charts/'], packages: 'any', forbidPackages: ['electron', ...NODE_BUILTINS] },
  { layer: 'renderer/vite.config.ts', may: [], packages: 'any' },
];
// Nothing below the composition roots may pull in a UI or Electron.
const NOT_IN_CORE = ['electron', 'react', 'react-dom'];
for (const l of LAYERS) if ((l.layer.startsWith('core/') && l.layer !== 'core/report/') || l.layer.startsWith('nodes/')) l.forbidPackages = [...(l.forbidPackages ?? []), ...NOT_IN_CORE];

const within = (path, entry) => (entry.endsWith('/') ? path.startsWith(entry) : path === entry);

/** The most specific layer of a repository-relative path, or undefined (bin/, test/, dev/...: free). */
export function layerOf(path) {
  let best;
  for (const l of LAYERS) if (within(path, l.layer) && (!best || l.layer.length > best.layer.length)) best = l;
  return best;
}

const packageName = (specifier) => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]);

/** Why `file` may not import `specifier`, or null when it may. Both relative to `root`. */
export function violation(root, file, specifier) {
  const from = relative(root, file).split(sep).join('/');
  const layer = layerOf(from);
  if (!layer) return null;
  if (specifier.startsWith('.') || isAbsolute(specifier)) {
    const target = relative(root, normalize(isAbsolute(specifier) ? specifier : join(dirname(file), specifier))).split(sep).join('/');
    if (layer.noSiblings && target !== from && within(target, layer.layer) && /\.node(\.ts)?$/.test(target)) return `a node file imports another node (${target}): share code through core/ instead`;
    // A folder layer may use anything inside its folder (more specific layers in it depend on less).
    if (layer.layer.endsWith('/') ? within(target, layer.layer) : target === from) return null;
    if (layer.may.some((m) => within(target, m))) return null;
    return `${layer.layer} may import only ${[...(layer.layer.endsWith('/') ? ['itself'] : []), ...layer.may].join(', ') || 'nothing of the repository'}, not ${target}`;
  }
  const name = packageName(specifier);
  if (layer.forbidPackages?.includes(name) || layer.forbidPackages?.includes(specifier)) return `${layer.layer} may not use "${specifier}"`;
  if (layer.packages === 'any') return null;
  if (layer.packages.includes(name)) return null;
  return `${layer.layer} may use ${layer.packages.length ? `only ${layer.packages.join(', ')}` : 'no packages'}, not "${specifier}"`;
}

function check(context, node) {
  const source = node.source ?? node.argument;
  const specifier = source?.type === 'Literal' ? source.value : source?.type === 'TSLiteralType' ? source.literal?.value : undefined;
  if (typeof specifier !== 'string') return;
  const why = violation(ROOT, context.filename, specifier);
  if (why) context.report({ node: source, messageId: 'layer', data: { why } });
}

export const layersPlugin = {
  rules: {
    'allowed-imports': {
      meta: {
        type: 'problem',
        docs: { description: 'Imports follow the layer map of docs/architecture.md (an allow-list).' },
        messages: { layer: 'Layer boundary: {{why}}. See docs/architecture.md, "Layers".' },
        schema: [],
      },
      create(context) {
        const visit = (node) => check(context, node);
        return {
          ImportDeclaration: visit,
          ExportNamedDeclaration: visit,
          ExportAllDeclaration: visit,
          ImportExpression: (node) => check(context, { source: node.source }),
          TSImportType: (node) => check(context, { source: node.argument }),
        };
      },
    },
  },
};
