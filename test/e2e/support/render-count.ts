/**
 * Counts how often each node card renders, from outside the app: a stand-in for React DevTools'
 * global hook (installed before the studio loads) that React calls after every commit. A card
 * rendered in a commit is a card fiber that is not the one the previous commit held (React clones a
 * fiber it visits; a memo'd card it skips keeps its old fiber) and carries React's PerformedWork
 * flag (set only when the component function actually ran). Works on the production build: no
 * instrumentation in the app.
 */
import type { Page } from '@playwright/test';

/** Install the hook, then reload: it must exist before React loads. */
export async function countCardRenders(page: Page): Promise<void> {
  await page.addInitScript(() => {
    type Fiber = { tag: number; flags: number; child: Fiber | null; sibling: Fiber | null; memoizedProps: { type?: unknown; id?: string; data?: { node?: unknown } } | null };
    const PERFORMED_WORK = 1;
    const FUNCTION_COMPONENT = 0;
    const renders = new Map<string, number>();
    let last = new Set<Fiber>();
    const w = window as unknown as { __cardRenders: Map<string, number>; __REACT_DEVTOOLS_GLOBAL_HOOK__: unknown };
    w.__cardRenders = renders;
    let next = 0;
    w.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
      supportsFiber: true,
      renderers: new Map(),
      inject() {
        return ++next;
      },
      checkDCE() {},
      onScheduleFiberRoot() {},
      onCommitFiberUnmount() {},
      onPostCommitFiberRoot() {},
      onCommitFiberRoot(_id: number, root: { current: Fiber }) {
        const now = new Set<Fiber>();
        const stack: Fiber[] = [root.current];
        while (stack.length) {
          const f = stack.pop()!;
          const p = f.memoizedProps;
          // The card component: xyflow passes it the node's type and our data (with the pipeline node).
          if (f.tag === FUNCTION_COMPONENT && p && p.type === 'card' && typeof p.id === 'string' && p.data && p.data.node) {
            now.add(f);
            if (!last.has(f) && f.flags & PERFORMED_WORK) renders.set(p.id, (renders.get(p.id) ?? 0) + 1);
          }
          if (f.sibling) stack.push(f.sibling);
          if (f.child) stack.push(f.child);
        }
        last = now;
      },
    };
  });
  await page.reload();
}

/** Renders per card id since the last call (cards that did not render are absent), and reset. */
export async function takeCardRenders(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const m = (window as unknown as { __cardRenders: Map<string, number> }).__cardRenders;
    const out = Object.fromEntries(m);
    m.clear();
    return out;
  });
}
