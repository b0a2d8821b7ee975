// The Code node's sandbox: one process per job, started by sandbox.ts with Node's permission model
// (reads only of this file and the danfo package; no writes, child processes, workers, addons or
// inspector), an empty environment, and on Linux its own user, network and PID namespaces and a
// data-size limit. Before any other module loads, this file takes away what the permission model
// leaves (network, signals to other processes, the environment), so the layers hold even where
// the operating-system ones are missing (docs/security.md, "The Code node's sandbox").
//
// Plain JavaScript: it must start without a TypeScript loader. danfo loads as soon as the process
// starts; the job ({ code, columns }) is the first message, so a process can be started ahead of
// its run. It runs that one job and is then stopped by the host.
import dgram from 'node:dgram';
import dns from 'node:dns';
import { createRequire } from 'node:module';
import net from 'node:net';
import vm from 'node:vm';

const FILE = 'user-code.js';

function denied(what) {
  const e = new Error(`${what} is not available to the Code node (no network, no other processes)`);
  e.code = 'ERR_ACCESS_DENIED';
  return e;
}

/** Replace obj[key] for good: not writable, not configurable, so user code cannot put it back. */
function seal(obj, key, value) {
  Object.defineProperty(obj, key, { value, writable: false, configurable: false, enumerable: false });
}

function lockDown() {
  // No environment (the host passed none; NODE_CHANNEL_* is the IPC channel's own bookkeeping).
  for (const k of Object.keys(process.env)) delete process.env[k];

  // Signals only to this process: process.kill() goes through process._kill.
  const ownPid = process.pid;
  const realKill = process._kill;
  const EPERM = -1;
  seal(process, '_kill', function guardedKill(pid, sig) {
    return pid === ownPid ? realKill.call(process, pid, sig) : EPERM;
  });

  // No network. Every TCP, TLS, HTTP(S), HTTP/2 and fetch client connects through
  // net.Socket.prototype.connect; servers listen through net.Server; UDP through dgram.
  const refuse = (what) => function () { throw denied(what); };
  seal(net.Socket.prototype, 'connect', refuse('A network connection'));
  seal(net.Server.prototype, 'listen', refuse('Listening on the network'));
  for (const m of ['bind', 'send', 'connect']) seal(dgram.Socket.prototype, m, refuse('UDP'));
  for (const api of [dns, dns.promises]) {
    for (const m of ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveMx', 'resolveNs', 'resolveTxt', 'resolveSrv', 'resolvePtr', 'resolveNaptr', 'resolveSoa', 'reverse']) {
      if (typeof api[m] === 'function') seal(api, m, refuse('A DNS lookup'));
    }
  }
  for (const g of ['fetch', 'WebSocket', 'EventSource']) if (g in globalThis) seal(globalThis, g, undefined);
}

lockDown();

const require = createRequire(import.meta.url);

/** The user's line number from an error (compile errors put "user-code.js:N" first). */
function userLine(error) {
  const m = new RegExp(`${FILE.replace('.', '\\.')}:(\\d+)`).exec(String(error?.stack ?? ''));
  return m ? Number(m[1]) : undefined;
}

/** The code is a function expression `(df, dfd) => …`, or a body that uses df/dfd and returns. */
function compile(code) {
  const params = ['df', 'dfd', 'console'];
  try {
    // Same line numbers: the wrapper adds nothing before the user's first line.
    const expr = vm.compileFunction(`return (${code}\n)`, params, { filename: FILE });
    return { kind: 'expression', fn: expr };
  } catch {
    return { kind: 'body', fn: vm.compileFunction(code, params, { filename: FILE }) };
  }
}

function columnsOf(df) {
  const out = {};
  const types = {};
  df.columns.forEach((name, j) => {
    const dtype = df.dtypes[j];
    const values = df.column(name).values;
    if (dtype === 'string') {
      out[name] = values.map((v) => (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v)) ? null : String(v)));
      types[name] = 'string';
    } else if (dtype === 'boolean') {
      out[name] = Float64Array.from(values, (v) => (v === null || v === undefined ? NaN : v ? 1 : 0));
      types[name] = 'boolean';
    } else {
      out[name] = Float64Array.from(values, (v) => (v === null || v === undefined ? NaN : Number(v)));
      types[name] = dtype === 'int32' ? 'integer' : 'number';
    }
  });
  return { columns: out, types };
}

// Loaded before the job arrives (the slow part of the start, about a second).
const dfd = require('danfojs-node');

const send = (message) => process.send?.(message);

async function main({ code, columns }) {
  const text = (a) => a.map((x) => (typeof x === 'string' ? x : String(x))).join(' ');
  const userConsole = { log: (...a) => send({ type: 'log', message: text(a) }) };
  userConsole.info = userConsole.warn = userConsole.error = userConsole.log;
  let compiled;
  try {
    compiled = compile(code);
  } catch (e) {
    send({ type: 'error', phase: 'compile', message: e?.message ?? String(e), line: userLine(e) });
    return;
  }
  const data = {};
  for (const [name, values] of Object.entries(columns)) data[name] = Array.from(values);
  const df = Object.keys(data).length ? new dfd.DataFrame(data) : new dfd.DataFrame([]);
  try {
    let result = compiled.fn(df, dfd, userConsole);
    if (compiled.kind === 'expression' && typeof result === 'function') result = result(df, dfd);
    result = await result;
    if (result === undefined) result = df;
    if (!result || !Array.isArray(result.columns) || typeof result.column !== 'function') {
      send({ type: 'error', phase: 'result', message: `the code returned ${result === null ? 'null' : typeof result}, not a DataFrame` });
      return;
    }
    send({ type: 'result', ...columnsOf(result), rows: result.shape[0] });
  } catch (e) {
    send({ type: 'error', phase: 'run', message: e?.message ?? String(e), line: userLine(e) });
  }
}

// The host went away (closed, crashed): so does its sandbox, spare or not.
process.once('disconnect', () => process.exit(0));
process.once('message', (job) => main(job).catch((e) => send({ type: 'error', phase: 'run', message: e?.message ?? String(e), line: userLine(e) })));
send({ type: 'ready' });
