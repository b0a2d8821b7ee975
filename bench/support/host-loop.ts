import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/**
 * Watches this process's event loop: Node's own delay histogram (perf_hooks), plus, on Linux, how
 * much CPU the main thread itself burnt during each late tick. A tick that comes 300 ms late
 * while the thread ran for 290 ms is our code blocking the loop; one that comes 300 ms late while
 * the thread ran for 0 ms is the machine's other processes keeping it off the CPU, which no code
 * of ours can cause or cure. `blockedMs` is the worst of the former.
 */
export class HostLoopWatch {
  private readonly histogram: IntervalHistogram;
  private timer: NodeJS.Timeout | null = null;
  private lastWall = 0;
  private lastCpu = 0;
  /** Longest stretch of main-thread CPU between two ticks (ms); NaN where /proc is missing. */
  blockedMs = 0;
  /** Longest wall-clock gap between two ticks (ms). */
  longestGapMs = 0;

  constructor(private readonly tickMs = 10) {
    this.histogram = monitorEventLoopDelay({ resolution: tickMs });
  }

  start(): void {
    this.histogram.enable();
    this.lastWall = performance.now();
    this.lastCpu = mainThreadCpuMs();
    this.timer = setInterval(() => {
      const wall = performance.now();
      const cpu = mainThreadCpuMs();
      this.longestGapMs = Math.max(this.longestGapMs, wall - this.lastWall);
      this.blockedMs = Math.max(this.blockedMs, cpu - this.lastCpu);
      this.lastWall = wall;
      this.lastCpu = cpu;
    }, this.tickMs);
  }

  stop(): void {
    this.histogram.disable();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** perf_hooks' figures, in ms. */
  get delay(): { maxMs: number; p99Ms: number; samples: number } {
    return { maxMs: this.histogram.max / 1e6, p99Ms: this.histogram.percentile(99) / 1e6, samples: this.histogram.count };
  }
}

/** CPU time (user + system) of the main thread so far, in ms; NaN off Linux. */
function mainThreadCpuMs(): number {
  try {
    // /proc/<pid>/task/<pid>/stat is the main thread's own line; fields after "(comm)".
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the comm.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}
