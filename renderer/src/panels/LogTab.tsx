import { useEffect, useRef } from 'react';
import { useRunStore } from '../store/use-run-store.ts';
import { useDocStore } from '../store/use-doc-store.ts';

export function LogTab() {
  const logs = useRunStore((s) => s.logs);
  const end = useRef<HTMLDivElement>(null);
  useEffect(() => end.current?.scrollIntoView({ block: 'end' }), [logs.length]);
  if (!logs.length) return <p className="panel-empty">Messages from running nodes appear here.</p>;
  return (
    <div className="log" data-testid="log" role="log">
      {logs.map((l, i) => (
        <div key={i} className={`log__line log__line--${l.level}`}>
          <time>{new Date(l.time).toLocaleTimeString()}</time>
          <button className="link-button" onClick={() => useDocStore.getState().select([l.nodeId])}>{l.nodeId}</button>
          <span>{l.message}</span>
        </div>
      ))}
      <div ref={end} />
    </div>
  );
}
