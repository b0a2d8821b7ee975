/**
 * The bundle's packaging: package.json with its one pinned runtime dependency (onnxruntime-node,
 * at the version Flowline itself verified the export with), a package-lock.json cut from
 * Flowline's own lock (so `npm ci` installs exactly what was tested), and the Dockerfile.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = new URL('../../../', import.meta.url);
export const RUNTIME_PACKAGE = 'onnxruntime-node';

/**
 * The Node image the bundle runs on, pinned by version (never `latest`): the Node line Flowline's
 * serving tests run on, Debian bookworm slim (glibc, which onnxruntime's Linux binaries need).
 */
export const BASE_IMAGE = 'node:20.20.2-bookworm-slim';

interface LockEntry {
  version: string;
  integrity?: string;
  resolved?: string;
  dependencies?: Record<string, string>;
  [k: string]: unknown;
}

function rootLock(): { packages: Record<string, LockEntry> } | null {
  const path = fileURLToPath(new URL('package-lock.json', ROOT));
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { packages: Record<string, LockEntry> }) : null;
}

export function runtimeVersion(): string {
  const pkg = JSON.parse(readFileSync(fileURLToPath(new URL(`node_modules/${RUNTIME_PACKAGE}/package.json`, ROOT)), 'utf8')) as { version: string };
  return pkg.version;
}

export function bundlePackageJson(name: string, description: string): string {
  return `${JSON.stringify(
    {
      name,
      version: '1.0.0',
      private: true,
      description,
      main: 'server.js',
      scripts: { start: 'node server.js', replay: 'node replay.js' },
      engines: { node: '>=20' },
      dependencies: { [RUNTIME_PACKAGE]: runtimeVersion() },
    },
    null,
    2,
  )}\n`;
}

/**
 * package-lock.json for the bundle: onnxruntime-node and everything it needs, copied from
 * Flowline's lock (same versions and integrity hashes). null when Flowline's lock is not around
 * (an installed app); the Dockerfile then runs `npm install` on the pinned version instead.
 */
export function bundleLock(name: string): string | null {
  const lock = rootLock();
  if (!lock) return null;
  const packages: Record<string, LockEntry> = {};
  // npm's resolution: a dependency of node_modules/a is node_modules/a/node_modules/b if that exists, else node_modules/b.
  const visit = (path: string) => {
    if (packages[path]) return;
    const entry = lock.packages[path];
    if (!entry) throw new Error(`${path} is missing from Flowline's package-lock.json`);
    const { dev: _dev, devOptional: _devOptional, peer: _peer, ...kept } = entry;
    packages[path] = kept as LockEntry;
    for (const dep of Object.keys(entry.dependencies ?? {})) {
      let base = path;
      let found: string | null = null;
      while (!found) {
        const candidate = `${base}/node_modules/${dep}`;
        if (lock.packages[candidate]) found = candidate;
        else if (base === '') break;
        else base = base.includes('/node_modules/') ? base.slice(0, base.lastIndexOf('/node_modules/')) : '';
      }
      if (!found && lock.packages[`node_modules/${dep}`]) found = `node_modules/${dep}`;
      if (found) visit(found);
    }
  };
  visit(`node_modules/${RUNTIME_PACKAGE}`);
  const sorted = Object.fromEntries(Object.keys(packages).sort().map((k) => [k, packages[k]]));
  return `${JSON.stringify(
    { name, version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': { name, version: '1.0.0', dependencies: { [RUNTIME_PACKAGE]: runtimeVersion() } }, ...sorted } },
    null,
    2,
  )}\n`;
}

/** Skip onnxruntime-node's install script: it downloads CUDA files; the CPU binaries ship in the package. */
export const BUNDLE_NPMRC = 'onnxruntime-node-install=skip\nfund=false\naudit=false\n';

export const DOCKERIGNORE = ['node_modules', '*.zip', 'requests.jsonl*', '.git', ''].join('\n');

export function dockerfile(options: { withLock: boolean; port?: number }): string {
  const port = options.port ?? 8080;
  return `# Flowline model server. Build: docker build -t my-model .   Run: docker run -p ${port}:${port} my-model
FROM ${BASE_IMAGE}

ENV NODE_ENV=production \\
    ONNXRUNTIME_NODE_INSTALL=skip \\
    PORT=${port}
WORKDIR /app

# The one runtime dependency, at the version the export was verified with.
COPY package.json ${options.withLock ? 'package-lock.json ' : ''}.npmrc ./
RUN ${options.withLock ? 'npm ci --omit=dev' : 'npm install --omit=dev --no-package-lock'} && npm cache clean --force

COPY --chown=node:node . .

# Never run as root.
USER node
EXPOSE ${port}
# SIGTERM: stop accepting, finish in-flight requests, exit 0 (orchestrators send it before SIGKILL).
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 CMD ["node", "server.js", "healthcheck"]

# Exec form, so the server is PID 1's direct program and receives SIGTERM; "serve" is accepted (SageMaker).
ENTRYPOINT ["node", "server.js"]
`;
}
