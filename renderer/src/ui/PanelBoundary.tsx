import { Component, type ErrorInfo, type ReactNode } from 'react';
import { FaultPoint } from './test-hooks.ts';

interface Props {
  /** Stable name, used in test ids: "canvas", "inspector", "tab:results"... */
  name: string;
  /** What the user calls the panel: "Results", "the canvas". */
  label: string;
  children: ReactNode;
  className?: string;
}

interface State {
  error: Error | null;
  /** Bumped by "Reload panel": the children mount afresh. */
  attempt: number;
}

/**
 * One broken panel must not take the studio with it: this boundary shows the panel's error and a
 * "Reload panel" button in its place, and everything outside keeps working.
 */
export class PanelBoundary extends Component<Props, State> {
  override state: State = { error: null, attempt: 0 };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    // Kept for whoever opens the developer tools; the panel shows the message in plain words.
    console.error(`Flowline: the ${this.props.name} panel failed`, error, info.componentStack);
  }

  private reload = () => this.setState((s) => ({ error: null, attempt: s.attempt + 1 }));

  override render() {
    const { error, attempt } = this.state;
    const { name, label, children, className } = this.props;
    if (error) {
      return (
        <div className={`panel-error${className ? ` ${className}` : ''}`} role="alert" data-testid={`panel-error-${name}`}>
          <strong>{label} stopped working: {error.message}</strong>
          <p className="muted">The rest of the studio is unaffected and your pipeline is safe. Reload the panel to try again.</p>
          <div className="row">
            <button className="button button--primary" onClick={this.reload} data-testid={`panel-reload-${name}`}>Reload panel</button>
          </div>
          {error.stack && (
            <details>
              <summary>Details</summary>
              <pre>{error.stack}</pre>
            </details>
          )}
        </div>
      );
    }
    return (
      <PanelContent key={attempt} name={name}>
        {children}
      </PanelContent>
    );
  }
}

function PanelContent({ name, children }: { name: string; children: ReactNode }) {
  return (
    <>
      <FaultPoint name={name} />
      {children}
    </>
  );
}
