// Lint: TypeScript rules plus the import boundaries of DESIGN.md §1, so a layer cannot quietly
// start depending on one it must not (the renderer on Node, core on the node list, ...).
import tseslint from 'typescript-eslint';

const restrict = (files, patterns, why, ignores = []) => ({
  files,
  ignores,
  rules: { 'no-restricted-imports': ['error', { patterns: [{ group: [...new Set(patterns)], message: why }] }] },
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'release/**', 'test-results/**', 'bench/.data/**', 'stubs/**', '**/*.d.ts'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  // Nothing in core/ imports nodes/, electron/ or renderer/.
  restrict(['core/**'], ['**/nodes/**', '**/electron/**', '**/renderer/**', 'electron', 'react', 'react-dom'], 'core/ must not depend on nodes/, electron/ or renderer/: composition roots wire them together.'),
  // core/schema, core/spec, core/compile are pure: zod and each other only (the renderer uses them).
  // Listed after the core/** rule because, in flat config, the later rule wins for these files.
  restrict(['core/schema/**', 'core/spec/**', 'core/compile/**'], ['node:*', '**/nodes/**', '**/electron/**', '**/renderer/**', '**/exec/**', '**/data/**', '**/ml/**', '**/host/**', '**/nodes/**', 'electron', 'react*'], 'core/schema, core/spec and core/compile stay pure (zod only): the studio imports them.'),
  // A node file imports core/ only: never another node, electron or React.
  restrict(['nodes/**'], ['./*.node', './*.node.ts', '**/electron/**', '**/renderer/**', 'electron', 'react', 'react-dom'], 'nodes/ import core/ only; algorithms live in core/.', ['nodes/index.ts']),
  // The serving bundle's server is compiled into one file that ships with onnxruntime-node as its
  // only dependency: Node built-ins, onnxruntime-node and its own folder, nothing else.
  restrict(['core/export/serving/server/**'], ['../*', '!./*', 'zod', 'fflate', 'esbuild', '@duckdb/*'], 'the bundle server (core/export/serving/server) imports node:*, onnxruntime-node and its siblings only.'),
  // The preload exposes the contract over IPC and nothing else.
  restrict(['electron/preload/**'], ['**/core/exec/**', '**/core/data/**', '**/core/ml/**', '**/nodes/**', 'node:*'], 'the preload imports only electron and the contract types.'),
  // The renderer talks to the host through the contract only.
  restrict(['renderer/**'], ['electron', 'node:*', '**/core/exec/**', '**/core/data/**', '**/core/ml/**', '**/core/export/**', '**/nodes/**', '**/core/host/!(api|wire).ts', '**/core/host/*/**'], 'the renderer talks to the host through core/host/api.ts only.', ['renderer/vite.config.ts']),
);
