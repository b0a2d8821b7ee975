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
  summarizeTrace(trace, typeof result === 'object' && result && 'frames' in result && typeof result.frames === 'number' ? result.frames : undefined);
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

/** Where a trace event's own time goes, as DevTools' Performance panel groups it. */
const CATEGORY: Record<string, string> = {
  FunctionCall: 'scripting', EventDispatch: 'scripting', FireAnimationFrame: 'scripting', TimerFire: 'scripting', RunMicrotasks: 'scripting',
  EvaluateScript: 'scripting', 'v8.callFunction': 'scripting', 'V8.Execute': 'scripting', MinorGC: 'scripting', MajorGC: 'scripting',
  UpdateLayoutTree: 'style+layout', Layout: 'style+layout', HitTest: 'hit test',
  PrePaint: 'paint', Paint: 'paint', Layerize: 'compositing', Commit: 'compositing', UpdateLayer: 'compositing',
};
const categoryOf = (name: string) => CATEGORY[name] ?? (name.startsWith('V8.GC') ? 'scripting' : 'other');

/**
 * The renderer main thread's self time (an event's duration less its children's) per category, and
 * the raster threads' time, per animation frame when the step counted `frames`.
 */
function summarizeTrace(file: string, frames: number | undefined): void {
  type Event = { name: string; ph: string; ts: number; dur?: number; pid: number; tid: number; args?: { name?: string } };
  const events = (JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: Event[] }).traceEvents;
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!main) return;
  const own = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const self = new Map<Event, number>();
  const stack: Event[] = [];
  for (const e of own) {
    while (stack.length && stack[stack.length - 1].ts + stack[stack.length - 1].dur! <= e.ts) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent) self.set(parent, self.get(parent)! - e.dur!);
    self.set(e, e.dur!);
    stack.push(e);
  }
  const by = new Map<string, number>();
  const byName = new Map<string, number>();
  for (const [e, us] of self) {
    by.set(categoryOf(e.name), (by.get(categoryOf(e.name)) ?? 0) + us / 1000);
    byName.set(e.name, (byName.get(e.name) ?? 0) + us / 1000);
  }
  const raster = events.filter((e) => e.name === 'RasterTask' && e.dur).reduce((a, e) => a + e.dur! / 1000, 0);
  const per = frames ? frames : 1;
  const fmt = (ms: number) => (ms / per).toFixed(frames ? 1 : 0);
  const unit = frames ? `ms per frame (${frames} frames)` : 'ms';
  console.log(`  trace, main thread self time, ${unit}: ${[...by].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}; raster threads ${fmt(raster)}`);
  console.log(`    by event: ${[...byName].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}`);
}
