// Runs one Code node's JavaScript on a danfojs-node DataFrame, in its own worker thread (the
// caller caps its memory and time and terminates it on timeout or cancel). Plain JavaScript so
// the worker starts without a TypeScript loader. danfo loads as soon as the worker starts, and the
// job ({ code, columns }) comes as the first message: a worker can be started ahead of its run.
// Each worker runs one job only, so no run sees what an earlier one left in its globals.
import { createRequire } from 'node:module';
import vm from 'node:vm';
import { parentPort } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const FILE = 'user-code.js';

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

// Loaded before the job arrives (the slow part of a worker's start, about a second).
const dfd = require('danfojs-node');

async function main({ code, columns }) {
  const logs = [];
  const userConsole = {
    log: (...a) => parentPort.postMessage({ type: 'log', message: a.map((x) => (typeof x === 'string' ? x : String(x))).join(' ') }),
  };
  userConsole.info = userConsole.warn = userConsole.error = userConsole.log;
  let compiled;
  try {
    compiled = compile(code);
  } catch (e) {
    parentPort.postMessage({ type: 'error', phase: 'compile', message: e?.message ?? String(e), line: userLine(e) });
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
      parentPort.postMessage({ type: 'error', phase: 'result', message: `the code returned ${result === null ? 'null' : typeof result}, not a DataFrame` });
      return;
    }
    const out = columnsOf(result);
    parentPort.postMessage({ type: 'result', ...out, rows: result.shape[0], logs });
  } catch (e) {
    parentPort.postMessage({ type: 'error', phase: 'run', message: e?.message ?? String(e), line: userLine(e) });
  }
}

parentPort.once('message', (job) => main(job).catch((e) => parentPort.postMessage({ type: 'error', phase: 'run', message: e?.message ?? String(e), line: userLine(e) })));
