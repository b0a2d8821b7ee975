/**
 * The Code node's sandbox, attacked the way a hostile pipeline would: each escape the issue lists
 * is tried by user code, and must fail while the host (this test process) carries on. The escapes
 * that have an in-process layer are tried twice: with every layer, and without the operating
 * system's (namespaces, memory cap), as on macOS or Windows, to show that layer holds alone.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepCodeWorkerWarm, runUserCode, type CodeResult } from '../../../../core/ml/code-node/run-code.ts';
import { BASE_MEMORY_MB, sandboxLayers, withoutSandboxLayers } from '../../../../core/ml/code-node/sandbox.ts';
import { fakeContext } from '../../../support/fake-context.ts';

const dir = mkdtempSync(join(tmpdir(), 'flowline-sandbox-'));
const secret = `hunter2-${randomBytes(6).toString('hex')}`;
const secretFile = join(dir, 'secret.txt');
writeFileSync(secretFile, secret);

/** Run code that reports what happened as a one-row table with a text column `r`. */
async function attempt(body: string, memoryMb = 256): Promise<{ r?: string; error?: string }> {
  const code = `async (df, dfd) => {\n  let r;\n  try {\n${body}\n  } catch (e) { r = 'refused: ' + (e.code || e.message); }\n  return new dfd.DataFrame({ r: [String(r)] });\n}`;
  try {
    const out: CodeResult = await runUserCode(fakeContext(), code, { x: new Float64Array([1, 2, 3]) }, { timeoutMs: 60_000, memoryMb });
    return { r: (out.columns.r as string[])[0] };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

let server: Server;
let connections = 0;
let port = 0;
beforeAll(async () => {
  // The studio starts one ahead for each run, as it does.
  keepCodeWorkerWarm(true);
  server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  port = (server.address() as { port: number }).port;
  process.env.FLOWLINE_SANDBOX_TEST_SECRET = secret;
});
afterAll(async () => {
  keepCodeWorkerWarm(false);
  delete process.env.FLOWLINE_SANDBOX_TEST_SECRET;
  await new Promise((ok) => server.close(ok));
});

for (const [mode, off] of [['every layer', {}], ['without the operating-system layers', { namespaces: true, memoryLimit: true }]] as const) {
  describe(`the Code node's sandbox (${mode}): escapes fail and the host survives`, () => {
    let restore: () => void = () => {};
    beforeAll(() => void (restore = withoutSandboxLayers(off)));
    afterAll(() => restore());

    it('process.env holds nothing of the host', async () => {
      const out = await attempt(`r = JSON.stringify(process.env) + (globalThis.process.env.FLOWLINE_SANDBOX_TEST_SECRET ?? '');`);
      expect(out.r).toBe('{}');
    });

    it('fs through process.getBuiltinModule cannot read a file or write one', async () => {
      const read = await attempt(`r = process.getBuiltinModule('fs').readFileSync(${JSON.stringify(secretFile)}, 'utf8');`);
      expect(read.r).toBe('refused: ERR_ACCESS_DENIED');
      const target = join(dir, `written-${mode.length}.txt`);
      const write = await attempt(`process.getBuiltinModule('fs').writeFileSync(${JSON.stringify(target)}, 'pwned'); r = 'wrote';`);
      expect(write.r).toBe('refused: ERR_ACCESS_DENIED');
      expect(existsSync(target)).toBe(false);
    });

    it('cannot spawn /bin/sh, by child_process or by the internal binding', async () => {
      const marker = join(dir, `shell-ran-${mode.length}.txt`);
      const out = await attempt(`
        const cp = process.getBuiltinModule('child_process');
        try { cp.spawnSync('/bin/sh', ['-c', 'echo pwned > ${marker}']); } catch (e) { r = 'refused: ' + e.code; }
        try { process.binding('spawn_sync'); r += ' binding allowed'; } catch (e) { r += ' / ' + e.code; }`);
      expect(out.r).toBe('refused: ERR_ACCESS_DENIED / ERR_ACCESS_DENIED');
      expect(existsSync(marker)).toBe(false);
    });

    it('reaches nothing on the network: no TCP connection, no fetch', async () => {
      const before = connections;
      const out = await attempt(`
        const net = process.getBuiltinModule('net');
        const tcp = await new Promise((done) => {
          try {
            const s = net.connect(${port}, '127.0.0.1');
            s.on('connect', () => done('connected'));
            s.on('error', (e) => done('error ' + e.code));
          } catch (e) { done('refused ' + e.code); }
        });
        let viaFetch;
        try { viaFetch = typeof fetch === 'function' ? (await fetch('http://127.0.0.1:${port}/')).status : 'no fetch'; } catch (e) { viaFetch = 'refused ' + (e.cause?.code ?? e.code); }
        r = tcp + ' / ' + viaFetch;`);
      expect(out.r).not.toMatch(/connected|^\d+$/);
      expect(connections).toBe(before);
    });

    it('process.kill(process.pid) ends at most the sandbox, and it cannot signal its parent', async () => {
      // Signal 0 only asks whether the host (this test process) could be signalled.
      const probe = await attempt(`r = String(process.kill(${process.pid}, 0));`);
      expect(probe.r).toMatch(/^refused: (EPERM|ESRCH)$/);
      const killed = await attempt(`process.kill(process.pid, 'SIGKILL'); r = 'still here';`);
      expect(killed.error ?? killed.r).toMatch(/stopped by SIGKILL|still here/);
      // The host is alive (this test runs) and the next Code run works.
      expect((await attempt(`r = 'next run ' + df.shape[0];`)).r).toBe('next run 3');
    });
  });
}

describe.skipIf(!sandboxLayers().memoryLimit)("the Code node's memory limit covers memory outside the JavaScript heap", () => {
  it('off-heap Buffers stop at the limit, with a clear error when the code does not catch it', async () => {
    const memoryMb = 128;
    const caught = await attempt(`const kept = []; let n = 0; try { while (n < 64) { kept.push(Buffer.alloc(128 * 1024 * 1024)); n++; } } catch { /* the limit */ } r = n * 128;`, memoryMb);
    const allocatedMb = Number(caught.r);
    expect(allocatedMb).toBeLessThanOrEqual(memoryMb + BASE_MEMORY_MB);
    const uncaught = await runUserCode(fakeContext(), `() => { const kept = []; for (;;) kept.push(Buffer.alloc(256 * 1024 * 1024)); }`, { x: new Float64Array([1]) }, { timeoutMs: 60_000, memoryMb }).catch((e: Error) => e);
    expect((uncaught as Error).message).toBe(`Run Code: the code used more than its ${memoryMb} MB memory limit and was stopped.`);
  });
});
if (!sandboxLayers().memoryLimit) console.warn(`\n*** no prlimit / RLIMIT_DATA on this ${process.platform} machine: the Code node's off-heap memory limit test is SKIPPED (Debian: util-linux) ***\n`);
