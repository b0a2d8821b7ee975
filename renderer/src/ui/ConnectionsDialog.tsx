import { useEffect, useState } from 'react';
import type { DatabaseConnectionInfo } from '../../../core/host/api.ts';
import { api } from '../api/host.ts';
import { errorInfoOf } from '../api/client.ts';
import { setParam } from '../store/commands.ts';
import { useDocStore } from '../store/use-doc-store.ts';
import { useUiStore } from '../store/use-ui-store.ts';
import { Modal } from './Modal.tsx';

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const where = (c: DatabaseConnectionInfo) => `${c.user}@${c.host}:${c.port}/${c.database}`;

/**
 * PostgreSQL logins for Load from PostgreSQL. The host keeps the password (the OS keychain on the
 * desktop, memory for the session in a browser); the node keeps only the connection's name, so
 * the pipeline file never holds a password. Opened from a node, saving also sets its connection.
 */
export function ConnectionsDialog({ nodeId }: { nodeId?: string }) {
  const current = useDocStore((s) => (nodeId ? String(s.pipeline.nodes.find((n) => n.id === nodeId)?.params.connection ?? '') : ''));
  const [saved, setSaved] = useState<DatabaseConnectionInfo[]>([]);
  const [form, setForm] = useState({ name: current || 'DATABASE_URL', host: 'localhost', port: '5432', database: '', user: '', password: '' });
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const close = () => useUiStore.getState().openDialog(null);
  const refresh = () => void api().listConnections().then(setSaved, (e: unknown) => setProblem(errorInfoOf(e).message));
  const pick = (c: DatabaseConnectionInfo) => setForm({ name: c.name, host: c.host, port: String(c.port), database: c.database, user: c.user, password: '' });
  useEffect(() => {
    void api()
      .listConnections()
      .then((list) => {
        setSaved(list);
        // The node's own connection, ready to change (its password is never sent back).
        const mine = list.find((c) => c.name === current);
        if (mine) pick(mine);
      }, (e: unknown) => setProblem(errorInfoOf(e).message));
    // Once, when the dialog opens.
  }, []);
  const field = (key: keyof typeof form, label: string, props: { type?: string; placeholder?: string } = {}) => (
    <div className="field">
      <label className="field__label" htmlFor={`connection-${key}`}>{label}</label>
      <input id={`connection-${key}`} className="input" value={form[key]} onChange={(e) => setForm({ ...form, [key]: e.target.value })} data-testid={`connection-${key}`} autoComplete="off" {...props} />
    </div>
  );
  const port = Number(form.port);
  const invalid = !NAME.test(form.name) ? 'The name is letters, digits and _ (e.g. SALES_DB).' : !form.host.trim() || !form.database.trim() || !form.user.trim() ? 'Fill in the host, database and user.' : !Number.isInteger(port) || port < 1 || port > 65535 ? 'The port is a number from 1 to 65535.' : null;

  const submit = async () => {
    if (invalid) return setProblem(invalid);
    setBusy(true);
    try {
      const info = await api().saveConnection({ name: form.name, host: form.host.trim(), port, database: form.database.trim(), user: form.user.trim(), password: form.password });
      if (nodeId && current !== info.name) setParam(nodeId, 'connection', info.name);
      useUiStore.getState().toast(`Saved the connection ${info.name} ${info.storedIn === 'keychain' ? 'in the system keychain' : 'for this session'}; the pipeline keeps only its name.`);
      close();
    } catch (e) {
      const info = errorInfoOf(e);
      setProblem(`${info.message}${info.hint ? ` ${info.hint}` : ''}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title="Database connection" onClose={close} testId="connections-dialog">
      <p className="muted">
        The pipeline keeps only the connection’s name. The login stays with Flowline: in the system keychain in the desktop app, in memory until the studio stops in a browser. On the command line, set an environment variable of the same name (e.g. <code>{form.name || 'DATABASE_URL'}=postgres://user:password@host/db</code>).
      </p>
      {saved.length > 0 && (
        <ul className="recent" data-testid="connections-saved">
          {saved.map((c) => (
            <li key={c.name}>
              <button className="link-button" onClick={() => pick(c)}>{c.name}</button>
              <span className="muted"> {where(c)} · {c.storedIn === 'keychain' ? 'system keychain' : 'this session only'}</span>{' '}
              <button className="link-button" onClick={() => void api().forgetConnection(c.name).then(refresh, (e: unknown) => setProblem(errorInfoOf(e).message))} aria-label={`Forget ${c.name}`}>Forget</button>
            </li>
          ))}
        </ul>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        {field('name', 'Name (the node’s connection setting)')}
        {field('host', 'Host')}
        {field('port', 'Port', { type: 'number' })}
        {field('database', 'Database')}
        {field('user', 'User')}
        {field('password', 'Password', { type: 'password' })}
        {problem && <p className="field__error" role="alert" data-testid="connection-problem">{problem}</p>}
        <div className="row row--end">
          <button type="button" className="button" onClick={close}>Cancel</button>
          <button type="submit" className="button button--primary" disabled={busy} data-testid="connection-save">Save connection</button>
        </div>
      </form>
    </Modal>
  );
}
