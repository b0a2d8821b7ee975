// The service process's entry in a source checkout: register tsx so it can load the TypeScript
// host as is (as electron/main/bootstrap.mjs does for main). A built app forks out/service/index.js.
import { register } from 'tsx/esm/api';

register();
await import('./index.ts');
