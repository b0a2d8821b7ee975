/**
 * Where a browser benchmark's time goes: Chromium's CPU profile and performance trace of one step,
 * written to a folder (DevTools' Performance panel loads both) and summed up on the console.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

/** Runs `step` under Chromium's CPU profiler and tracing when `dir` is set: writes dir/name.cpuprofile and name.trace.json, prints the top self times. */
export async function profiled<T>(dir: string | undefined, page: Page, name: string, step: () => Promise<T>): Promise<T> {
  if (!dir) return step();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  mkdirSync(dir, { recursive: true });
  const trace = join(dir, `${name}.trace.json`);
  await page.context().browser()!.startTracing(page, { path: trace, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  const result = await step();
  await page.context().browser()!.stopTracing();
  const { profile } = await cdp.send('Profiler.stop');
  await cdp.detach();
  summarizeTrace(trace);
  writeFileSync(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
  // Self time per function: each sample is charged to the node on top of the stack.
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const deltas = profile.timeDeltas ?? [];
  profile.samples?.forEach((id, k) => {
    const f = byId.get(id)!.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (deltas[k + 1] ?? 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`  ${name}: ${total.toFixed(0)} ms sampled; most self time:`);
  for (const [key, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`    ${ms.toFixed(0).padStart(6)} ms  ${key}`);
  return result;
}

/** Total duration per trace event name on the renderer's main thread (nested events count in both). */
function summarizeTrace(file: string): void {
  type Event = { name: string; ph: string; dur?: number; pid: number; tid: number; args?: { name?: string } };
  const events = (JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: Event[] }).traceEvents;
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const by = new Map<string, number>();
  for (const e of events) if (main && e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur) by.set(e.name, (by.get(e.name) ?? 0) + e.dur / 1000);
  console.log(`  trace, main thread: ${[...by].sort((a, b) => b[1] - a[1]).slice(0, 14).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')} (ms)`);
}

