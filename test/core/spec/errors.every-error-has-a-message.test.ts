import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FlowlineError, toErrorInfo } from '../../../core/spec/errors.ts';

describe('toErrorInfo: every error keeps a message', () => {
  it('an Error carrying one of our codes keeps its message (was "BAD_SET undefined")', () => {
    const e = Object.assign(new Error('Unknown option --bogus'), { code: 'BAD_SET' });
    expect(toErrorInfo(e)).toEqual({ code: 'BAD_SET', message: 'Unknown option --bogus', nodeId: undefined });
  });

  it('a Node system error keeps Node\'s message and its path (was {"code":"ENOENT"})', () => {
    let thrown: unknown;
    try {
      readFileSync('/no/such/file.csv');
    } catch (e) {
      thrown = e;
    }
    const info = toErrorInfo(thrown, 'load');
    expect(info).toMatchObject({ code: 'FILE_NOT_FOUND', nodeId: 'load', file: '/no/such/file.csv' });
    expect(info.message).toMatch(/^ENOENT: no such file or directory/);
  });

  it('a code that is not ours does not pass for one; a FlowlineError and a thrown string are kept', () => {
    expect(toErrorInfo(Object.assign(new Error('boom'), { code: 'ERR_SOMETHING' }))).toMatchObject({ code: 'INTERNAL', message: 'boom' });
    expect(toErrorInfo(new FlowlineError({ code: 'BAD_DATA', message: 'bad', hint: 'fix it' }), 'n')).toEqual({ code: 'BAD_DATA', message: 'bad', hint: 'fix it', nodeId: 'n' });
    expect(toErrorInfo('plain text')).toMatchObject({ code: 'INTERNAL', message: 'plain text' });
    expect(toErrorInfo(new Error(''))).toMatchObject({ code: 'INTERNAL', message: 'Error' });
  });
});
