#!/usr/bin/env node
// The `flowline` command: a composition root. It wires the node catalog into the CLI. The
// TypeScript sources load as one cached bundle (core/host/source-bundle.mjs: rebuilt whenever a
// source changes, tsx when it cannot be built), so a clean clone needs no build step.
import { importSources } from '../core/host/source-bundle.mjs';

const { main, NODES } = await importSources('cli', { 'core/host/cli.ts': ['main'], 'nodes/index.ts': ['NODES'] });
process.exitCode = await main(process.argv.slice(2), NODES);
