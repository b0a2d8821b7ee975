import { useEffect, useLayoutEffect, useRef } from 'react';
import { useRunStore } from '../store/use-run-store.ts';
import { useDocStore } from '../store/use-doc-store.ts';
import { formatTime } from '../lib/format.ts';

/** Lines logged by the nodes of this pipeline's runs; follows new lines while scrolled to the end. */
export function LogTab() {
  const logs = useRunStore((s) => s.logs);
  const box = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  useLayoutEffect(() => {
    // The scroller is the dock body around this list. Set its scrollTop rather than calling
    // scrollIntoView(): that also scrolls every ancestor, and (in current Chromium) returns a
    // Promise, which must never become an effect's return value (React would call it on cleanup).
    const scroller = box.current?.parentElement;
    if (scroller && following.current) scroller.scrollTop = scroller.scrollHeight;
  }, [logs.length]);
  const hasLines = logs.length > 0;
  useEffect(() => {
    const scroller = box.current?.parentElement;
    if (!scroller) return;
    // Reading back, the user stops the follow; scrolling to the end resumes it.
    const onScroll = () => {
      following.current = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 4;
    };
    scroller.addEventListener('scroll', onScroll, { passive: true });
    return () => scroller.removeEventListener('scroll', onScroll);
  }, [hasLines]);
  if (!hasLines) return <p className="panel-empty">Messages from running nodes appear here.</p>;
  return (
    <div
      className="log"
      data-testid="log"
      role="log"
      ref={box}
    >
      {logs.map((l, i) => (
        <div key={i} className={`log__line log__line--${l.level}`}>
          <time dateTime={new Date(l.time).toISOString()}>{formatTime(l.time)}</time>
          <button className="link-button" onClick={() => useDocStore.getState().select([l.nodeId])}>{l.nodeId || 'pipeline'}</button>
          <span>{l.message}</span>
        </div>
      ))}
    </div>
  );
}
