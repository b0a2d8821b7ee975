#!/usr/bin/env node
// The `flowline` command: a composition root. It wires the node catalog into the CLI; TypeScript
// sources load through tsx, so a clean clone needs no build step before the first run.
import { register } from 'tsx/esm/api';

register();
const [{ main }, { NODES }] = await Promise.all([import('../core/host/cli.ts'), import('../nodes/index.ts')]);
process.exitCode = await main(process.argv.slice(2), NODES);
