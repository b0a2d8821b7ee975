/**
 * Every shipped template, run as a user would (`flowline run <name>.flow.json --json --trust` on a
 * copy of templates/ in a temp folder, so the checkout gets no cache or run log; a fresh process
 * with its own state folder), exits 0 and reaches the score its description
 * promises (its `template.threshold`). The gallery facts each template must carry are checked
 * here too. The whole set's wall time is printed, not asserted (the machine may be shared).
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePipeline, type Pipeline } from '../../core/schema/index.ts';

const REPO = resolve(import.meta.dirname, '../..');
const BIN = join(REPO, 'bin', 'flowline.js');
const DIR = join(REPO, 'templates');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.flow.json')).sort();
const DATA_README = readFileSync(join(DIR, 'data', 'README.md'), 'utf8');
/** Where the templates run: a copy, so running them leaves nothing in the checkout. */
const RUN_DIR = join(mkdtempSync(join(tmpdir(), 'flowline-tpl-')), 'templates');
cpSync(DIR, RUN_DIR, { recursive: true, filter: (p) => !p.includes('.flowline') });
/** Two at a time: the CI machine has 2 cores. */
const PARALLEL = 2;

interface RunResult { code: number | null; json: { status: string; metrics: Record<string, Record<string, number>>; nodes: { id: string; error?: { message: string } }[] } | null; stderr: string }

function runCli(file: string): Promise<RunResult> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, 'run', join(RUN_DIR, file), '--json', '--trust'], { env: { ...process.env, FLOWLINE_STATE_DIR: mkdtempSync(join(tmpdir(), 'flowline-tpl-state-')) } });
    let out = '', err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err += b));
    child.on('close', (code) => {
      let json = null;
      try {
        json = JSON.parse(out);
      } catch {
        // left null: the assertion below shows stdout's absence and stderr
      }
      done({ code, json, stderr: err });
    });
  });
}

const results = new Map<string, RunResult>();

describe('every template', () => {
  beforeAll(async () => {
    const started = Date.now();
    const queue = [...FILES];
    await Promise.all(Array.from({ length: PARALLEL }, async () => {
      for (let f = queue.shift(); f; f = queue.shift()) results.set(f, await runCli(f));
    }));
    console.log(`${FILES.length} templates ran in ${((Date.now() - started) / 1000).toFixed(1)} s (wall time, ${PARALLEL} at a time)`);
  }, 900_000);

  it('there are the two original templates and at least ten more, and `flowline templates --json` lists each', () => {
    expect(FILES).toEqual(expect.arrayContaining(['penguins-species.flow.json', 'seattle-rain.flow.json']));
    expect(FILES.length).toBeGreaterThanOrEqual(12);
    const r = spawnSync(process.execPath, [BIN, 'templates', '--json'], { encoding: 'utf8', env: { ...process.env, FLOWLINE_STATE_DIR: mkdtempSync(join(tmpdir(), 'flowline-tpl-state-')) } });
    expect(r.status).toBe(0);
    const listed = JSON.parse(r.stdout) as { id: string; threshold?: unknown; stages: string[]; dataFiles: string[] }[];
    expect(listed.map((t) => `${t.id}.flow.json`)).toEqual(FILES);
    for (const t of listed) {
      expect(t.threshold, t.id).toBeDefined();
      expect(t.dataFiles.length, `${t.id}: its data`).toBeGreaterThan(0);
    }
  });

  for (const file of FILES) {
    const pipeline: Pipeline = parsePipeline(readFileSync(join(DIR, file), 'utf8'), file);

    it(`${file}: says what it is — description with its threshold, stages, difficulty, readable ids, notes, small documented data`, () => {
      const meta = pipeline.template!;
      expect(meta, 'template facts').toBeDefined();
      expect(pipeline.description!.length).toBeGreaterThan(120);
      expect(pipeline.tags!.length).toBeGreaterThan(0);
      expect(meta.stages.length).toBeGreaterThanOrEqual(3);
      expect(['beginner', 'intermediate', 'advanced']).toContain(meta.difficulty);
      const bound = (meta.threshold.min ?? meta.threshold.max)!;
      expect(pipeline.description, 'the threshold is written in the description').toContain(`${meta.threshold.min !== undefined ? '≥' : '≤'} ${bound.toFixed(2)}`);
      for (const n of pipeline.nodes) expect(n.id, 'readable node id').toMatch(/^[a-z][a-z_]*[a-z0-9]$/);
      expect(pipeline.layout.notes.length, 'sticky notes explaining the key choices').toBeGreaterThan(0);
      for (const n of pipeline.nodes) {
        const path = (n.params as { path?: unknown }).path;
        if (typeof path !== 'string') continue;
        expect(statSync(join(DIR, path)).size, `${path} ≤ 5 MB`).toBeLessThanOrEqual(5 * 1024 * 1024);
        expect(DATA_README, `${path} has its source and licence in templates/data/README.md`).toContain(path.replace(/^data\//, ''));
      }
    });

    it(`${file}: \`flowline run --json\` exits 0 and reaches its threshold`, () => {
      const r = results.get(file)!;
      const failed = r.json?.nodes.filter((n) => n.error).map((n) => `${n.id}: ${n.error!.message}`);
      expect({ code: r.code, failed, stderr: r.json ? '' : r.stderr.slice(-2000) }).toEqual({ code: 0, failed: [], stderr: '' });
      const { metric, min, max } = pipeline.template!.threshold;
      const [node, name] = metric.split('.');
      const value = r.json!.metrics[node]?.[name];
      expect(value, `${metric} in the run's metrics`).toBeTypeOf('number');
      if (min !== undefined) expect(value, metric).toBeGreaterThanOrEqual(min);
      if (max !== undefined) expect(value, metric).toBeLessThanOrEqual(max);
    });
  }
});
