/**
 * Database logins in the desktop app (electron/main/credential-store.ts) against a stand-in for
 * Electron's safeStorage that really encrypts (AES-GCM under a key the "keychain" holds): the
 * password is never on disk in the clear, comes back for the service, and is refused, saying why,
 * where there is no keychain.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CredentialStore, type SafeStorage } from '../../electron/main/credential-store.ts';

function fakeSafeStorage(options: { available?: boolean; backend?: string } = {}): SafeStorage & { key: Buffer } {
  const key = randomBytes(32);
  return {
    key,
    isEncryptionAvailable: () => options.available ?? true,
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
    encryptString(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decryptString(data) {
      const d = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      d.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([d.update(data.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

const dir = () => mkdtempSync(join(tmpdir(), 'flowline-creds-'));
const sales = { name: 'SALES_DB', host: 'db.example.com', port: 5432, database: 'sales', user: 'ann', password: 'correct horse battery staple' };

describe('the desktop credential store', () => {
  it('keeps the password encrypted at rest and gives it back to the app', () => {
    const d = dir();
    const safe = fakeSafeStorage();
    const store = new CredentialStore(d, safe);
    expect(store.save(sales)).toEqual({ name: 'SALES_DB', host: 'db.example.com', port: 5432, database: 'sales', user: 'ann', storedIn: 'keychain' });
    const onDisk = readFileSync(join(d, 'connections.json'), 'utf8');
    expect(onDisk).not.toContain('correct horse');
    expect(onDisk).not.toContain(Buffer.from(sales.password).toString('base64'));
    expect(onDisk).toContain('SALES_DB');
    if (process.platform !== 'win32') expect(statSync(join(d, 'connections.json')).mode & 0o077).toBe(0);
    // The next session (a new store over the same folder and keychain).
    const again = new CredentialStore(d, safe);
    expect(again.list()).toEqual([{ name: 'SALES_DB', host: 'db.example.com', port: 5432, database: 'sales', user: 'ann', storedIn: 'keychain' }]);
    expect(again.all()).toEqual([sales]);
  });

  it('replaces a login saved under the same name, and forgets one', () => {
    const store = new CredentialStore(dir(), fakeSafeStorage());
    store.save(sales);
    store.save({ ...sales, user: 'bob', password: 'other' });
    store.save({ ...sales, name: 'WAREHOUSE' });
    expect(store.all().map((c) => [c.name, c.user, c.password])).toEqual([
      ['SALES_DB', 'bob', 'other'],
      ['WAREHOUSE', 'ann', sales.password],
    ]);
    store.forget('SALES_DB');
    expect(store.list().map((c) => c.name)).toEqual(['WAREHOUSE']);
  });

  it('refuses to save without a keychain, says why and what to do, and writes nothing', () => {
    for (const safe of [fakeSafeStorage({ available: false }), fakeSafeStorage({ backend: 'basic_text' })]) {
      const d = dir();
      const store = new CredentialStore(d, safe);
      expect(() => store.save(sales)).toThrow(/password for "SALES_DB" was not saved: .*(keychain is not available|no keychain).*only encrypted/);
      try {
        store.save(sales);
      } catch (e) {
        expect((e as { hint?: string }).hint).toMatch(/SALES_DB=postgres:\/\//);
      }
      expect(() => readFileSync(join(d, 'connections.json'))).toThrow();
      expect(store.list()).toEqual([]);
    }
  });

  it('reads a damaged file as no connections, and leaves out a password the keychain cannot decrypt', () => {
    const d = dir();
    writeFileSync(join(d, 'connections.json'), '{ not json');
    expect(new CredentialStore(d, fakeSafeStorage()).list()).toEqual([]);
    new CredentialStore(d, fakeSafeStorage()).save(sales);
    // Another keychain (another user, a reinstalled system): listed, but not handed over.
    const other = new CredentialStore(d, fakeSafeStorage());
    expect(other.list().map((c) => c.name)).toEqual(['SALES_DB']);
    expect(other.all()).toEqual([]);
  });
});
