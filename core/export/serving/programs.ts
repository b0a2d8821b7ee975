/**
 * The serving bundle's two programs, server.js and replay.js: each one CommonJS file compiled from
 * server/ (onnxruntime-node its only dependency). `npm run build` compiles them into out/serving/
 * with these same options, and an installed Flowline reads them from there; a source checkout
 * compiles them at export time.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FLOWLINE_VERSION } from '../version.ts';

const SERVER_DIR = fileURLToPath(new URL('./server/', import.meta.url));
/** Where `npm run build` writes them (the build defines __FLOWLINE_BUNDLE__). */
const PREBUILT_DIR = fileURLToPath(new URL('../../../out/serving/', import.meta.url));
declare const __FLOWLINE_BUNDLE__: boolean | undefined;

export const PROGRAMS = { server: 'main.ts', replay: 'replay.ts' } as const;

/** esbuild options for one program (shared with scripts/build.ts). */
export function programBuildOptions(entry: string) {
  return {
    entryPoints: [join(SERVER_DIR, entry)],
    bundle: true,
    platform: 'node' as const,
    target: 'node20',
    format: 'cjs' as const,
    external: ['onnxruntime-node'],
    legalComments: 'none' as const,
    banner: { js: `// Written by Flowline ${FLOWLINE_VERSION} from core/export/serving/server/${entry}; do not edit.` },
    logLevel: 'silent' as const,
  };
}

/** The programs' text: prebuilt in an installed Flowline, compiled now in a source checkout. */
export async function servingPrograms(): Promise<{ server: string; replay: string }> {
  if (typeof __FLOWLINE_BUNDLE__ !== 'undefined') {
    const [server, replay] = await Promise.all([readFile(join(PREBUILT_DIR, 'server.js'), 'utf8'), readFile(join(PREBUILT_DIR, 'replay.js'), 'utf8')]);
    return { server, replay };
  }
  const esbuild = await import('esbuild');
  const build = async (entry: string) => (await esbuild.build({ ...programBuildOptions(entry), write: false })).outputFiles[0].text;
  const [server, replay] = await Promise.all([build(PROGRAMS.server), build(PROGRAMS.replay)]);
  return { server, replay };
}
