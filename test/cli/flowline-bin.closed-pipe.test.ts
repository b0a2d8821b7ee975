import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../../bin/flowline.js');

// Runs before the CLI in the child and blocks until its stdin ends: the test closes the child's
// stdout first and only then ends stdin, so the CLI's first write always meets a closed pipe.
// (Closing "soon after the first chunk" raced the child: a listing that fit in the pipe was
// written whole before the close, and the test passed with or without the fix.)
const WAIT_FOR_STDIN_EOF = `data:text/javascript,${encodeURIComponent("import { readFileSync } from 'node:fs'; readFileSync(0);")}`;

it('`flowline nodes | head -1` ends quietly when the reader has closed the pipe', async () => {
  const child = spawn(process.execPath, ['--import', WAIT_FOR_STDIN_EOF, BIN, 'nodes'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const closed = new Promise<number | null>((done) => child.on('close', done));
  child.stdout.destroy();
  child.stdin.end();
  const code = await closed;
  expect(stderr).not.toMatch(/EPIPE|Error/);
  expect(code).toBe(0);
}, 30_000);
