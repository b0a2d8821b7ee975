/**
 * How the Code node's sandbox process is started (sandbox-child.mjs runs inside). Layers, each
 * one enough to stop some escapes on its own:
 *
 * 1. A separate process with an empty environment: process.env holds no secrets, and
 *    process.kill(process.pid) or a crash ends the sandbox, not the studio.
 * 2. Node's permission model (--experimental-permission on Node 20, --permission from 22.13):
 *    reads only of sandbox-child.mjs and the danfo package with its dependencies; no writes, no
 *    child processes, no worker threads, no native addons, no inspector.
 * 3. In the process, before user code exists: network clients and servers, DNS, fetch, and
 *    signals to other processes are taken away (sandbox-child.mjs).
 * 4. Linux, where unprivileged user namespaces are allowed: its own user, network and PID
 *    namespaces (unshare), so it has no network interface but a dead loopback, and sees no other
 *    process to signal; and a data-size limit (prlimit RLIMIT_DATA) over everything it allocates,
 *    Buffers and ArrayBuffers outside V8's heap included. Core dumps off.
 * 5. The host's time limit and cancel: the whole process group is killed.
 *
 * docs/security.md lists what holds on which platform.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// In a packaged app this file is unpacked beside the asar (electron-builder.yml asarUnpack): a
// child process is started from a real file.
export const SANDBOX_ENTRY = fileURLToPath(new URL('./sandbox-child.mjs', import.meta.url)).replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');

/** Memory the process needs besides the user's heap (Node, danfo, TensorFlow.js, the table copies). */
export const BASE_MEMORY_MB = 512;

export interface SandboxLayers {
  /** Own user, network and PID namespaces (Linux, unshare). */
  namespaces: boolean;
  /** RLIMIT_DATA over all allocations (Linux, prlimit). */
  memoryLimit: boolean;
}

let detected: SandboxLayers | null = null;
let forced: Partial<SandboxLayers> = {};

/** Which operating-system layers this machine offers (probed once). */
export function sandboxLayers(): SandboxLayers {
  detected ??= probe();
  return { namespaces: forced.namespaces ?? detected.namespaces, memoryLimit: forced.memoryLimit ?? detected.memoryLimit };
}

/** Tests: run without some layers, to show that the others hold by themselves. */
export function withoutSandboxLayers(off: Partial<Record<keyof SandboxLayers, boolean>>): () => void {
  const before = forced;
  forced = { ...forced, ...Object.fromEntries(Object.entries(off).map(([k, v]) => [k, v ? false : undefined])) };
  return () => {
    forced = before;
  };
}

function probe(): SandboxLayers {
  if (process.platform !== 'linux') return { namespaces: false, memoryLimit: false };
  const works = (cmd: string, args: string[]) => {
    try {
      return spawnSync(cmd, args, { stdio: 'ignore', timeout: 5000, env: {} }).status === 0;
    } catch {
      return false;
    }
  };
  return {
    namespaces: works('unshare', ['--user', '--map-root-user', '--net', '--pid', '--fork', '--kill-child', 'true']),
    memoryLimit: works('prlimit', ['--data=1073741824:1073741824', 'true']),
  };
}

/**
 * The paths the sandbox may read: its own file, danfo and everything danfo requires. Module
 * lookup runs with --preserve-symlinks (resolving symlinks would stat every parent folder, which
 * the permission model refuses), so a package reached through a link is listed both ways.
 */
let readable: string[] | null = null;
export function sandboxReadablePaths(): string[] {
  if (readable) return readable;
  const paths = new Set<string>([SANDBOX_ENTRY]);
  const seen = new Set<string>();
  const root = packageDir(dirname(SANDBOX_ENTRY), 'danfojs-node');
  const queue = root ? [root] : [];
  for (const pkg of queue) {
    if (seen.has(pkg.real)) continue;
    seen.add(pkg.real);
    paths.add(pkg.path).add(pkg.real);
    const json = JSON.parse(readFileSync(join(pkg.real, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    for (const dep of Object.keys({ ...json.dependencies, ...json.optionalDependencies, ...json.peerDependencies })) {
      // Looked up from where the package was found (its link), as Node does with --preserve-symlinks.
      const found = packageDir(pkg.path, dep);
      if (found) {
        paths.add(found.path);
        if (!seen.has(found.real)) queue.push(found);
      }
    }
  }
  return (readable = [...paths]);
}

/** Node's lookup of a package from a folder: node_modules/<name> there or in a parent. */
function packageDir(from: string, name: string): { path: string; real: string } | null {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return { path: candidate, real: realpathSync(candidate) };
    if (dirname(dir) === dir) return null;
  }
}

function permissionFlag(): string {
  const [major, minor] = process.versions.node.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 13) ? '--permission' : '--experimental-permission';
}

export interface SandboxCommand {
  command: string;
  args: string[];
  env: Record<string, string>;
  layers: SandboxLayers;
}

/** The command line of one sandbox process with a V8 heap of `memoryMb`. */
export function sandboxCommand(memoryMb: number): SandboxCommand {
  const layers = sandboxLayers();
  const node = [
    permissionFlag(),
    ...sandboxReadablePaths().map((p) => `--allow-fs-read=${p}`),
    '--disable-warning=ExperimentalWarning',
    '--preserve-symlinks',
    `--max-old-space-size=${memoryMb}`,
    `--max-semi-space-size=${Math.min(64, Math.max(8, Math.round(memoryMb / 16)))}`,
    SANDBOX_ENTRY,
  ];
  let chain: string[] = [process.execPath, ...node];
  if (layers.namespaces) chain = ['unshare', '--user', '--map-root-user', '--net', '--pid', '--fork', '--kill-child', ...chain];
  if (layers.memoryLimit) {
    const bytes = (memoryMb + BASE_MEMORY_MB) * 1024 * 1024;
    chain = ['prlimit', `--data=${bytes}:${bytes}`, '--core=0:0', ...chain];
  }
  // Electron's binary runs as plain Node only when told so; nothing else of the host's environment goes in.
  const env: Record<string, string> = process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {};
  return { command: chain[0], args: chain.slice(1), env, layers };
}
