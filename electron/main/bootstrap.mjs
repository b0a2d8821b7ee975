// Electron's entry in a source checkout: register tsx so main can load the TypeScript host as is.
// (A packaged build bundles main instead; see electron-builder.yml.)
import { register } from 'tsx/esm/api';

register();
await import('./index.ts');
