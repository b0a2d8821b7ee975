// Worker threads start here: Node 20 does not pass --import loader hooks on to a worker's main
// module, so register tsx first, then load the TypeScript entry. (A bundled build would point
// the pool at compiled JavaScript instead.)
import { register } from 'tsx/esm/api';

register();
await import('./worker-entry.ts');
