/**
 * Database logins saved in the desktop app, encrypted with the OS keychain through Electron's
 * safeStorage (Keychain on macOS, DPAPI on Windows, libsecret/KWallet on Linux) in
 * userData/connections.json. Only the password is encrypted: the list (names, hosts, users) is
 * shown without asking the keychain. Where there is no keychain (a Linux session without one, where
 * Electron would fall back to a key written in its own source), saving is refused and says why;
 * nothing is ever stored in the clear. A damaged file is read as no connections, never fatal.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseConnection, DatabaseConnectionInfo } from '../../core/host/api.ts';
import { FlowlineError } from '../../core/spec/errors.ts';

/** The part of Electron's safeStorage used here. */
export interface SafeStorage {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: 'basic_text' means no keychain (a hard-coded key). */
  getSelectedStorageBackend?(): string;
}

interface StoredConnection extends Omit<DatabaseConnection, 'password'> {
  /** base64 of safeStorage.encryptString(password). */
  password: string;
}

const FILE = 'connections.json';

export class CredentialStore {
  private readonly path: string;

  constructor(stateDir: string, private readonly safe: SafeStorage) {
    this.path = join(stateDir, FILE);
  }

  /** Why passwords cannot be stored here, or null when they can. */
  unavailable(): string | null {
    if (!this.safe.isEncryptionAvailable()) return 'the system keychain is not available';
    if (this.safe.getSelectedStorageBackend?.() === 'basic_text') return 'this Linux session has no keychain (GNOME Keyring or KWallet), so it could not be encrypted';
    return null;
  }

  list(): DatabaseConnectionInfo[] {
    return this.read().map(({ password: _, ...info }) => ({ ...info, storedIn: 'keychain' as const }));
  }

  /** Every saved login with its password decrypted (handed to the service process at start); one that no longer decrypts is left out. */
  all(): DatabaseConnection[] {
    if (this.unavailable()) return [];
    const out: DatabaseConnection[] = [];
    for (const c of this.read()) {
      try {
        out.push({ ...c, password: this.safe.decryptString(Buffer.from(c.password, 'base64')) });
      } catch {
        // Encrypted under another user or keychain: the user saves it again.
      }
    }
    return out;
  }

  save(connection: DatabaseConnection): DatabaseConnectionInfo {
    const why = this.unavailable();
    if (why) {
      throw new FlowlineError({
        code: 'INVALID_PARAM',
        message: `The password for "${connection.name}" was not saved: ${why}. Flowline stores passwords only encrypted.`,
        hint: `Unlock or install the system keychain and save again, or set ${connection.name}=postgres://user:password@host:5432/database in the environment before starting Flowline.`,
      });
    }
    const stored: StoredConnection = { ...connection, password: this.safe.encryptString(connection.password).toString('base64') };
    this.write([...this.read().filter((c) => c.name !== connection.name), stored]);
    const { password: _, ...info } = connection;
    return { ...info, storedIn: 'keychain' };
  }

  forget(name: string): void {
    this.write(this.read().filter((c) => c.name !== name));
  }

  private read(): StoredConnection[] {
    try {
      const data = JSON.parse(readFileSync(this.path, 'utf8')) as { connections?: unknown };
      if (!Array.isArray(data.connections)) return [];
      return data.connections.filter(
        (c): c is StoredConnection => !!c && typeof c === 'object' && ['name', 'host', 'database', 'user', 'password'].every((k) => typeof (c as Record<string, unknown>)[k] === 'string') && Number.isInteger((c as StoredConnection).port),
      );
    } catch {
      return [];
    }
  }

  /** Whole or not at all (temp file, then rename), readable by this user only. */
  private write(connections: StoredConnection[]): void {
    const temp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify({ version: 1, connections }, null, 2)}\n`, { mode: 0o600 });
    renameSync(temp, this.path);
  }
}
