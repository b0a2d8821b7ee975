import { parseArgs, type ParseArgsConfig } from 'node:util';
import { FlowlineError } from '../spec/errors.ts';

/** A command's options, strictly: an unknown or malformed one is BAD_ARGUMENTS (exit 2) with the command's usage. */
export function parseCommandArgs<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O, usage = 'See `flowline help`.', command?: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new FlowlineError({ code: 'BAD_ARGUMENTS', message: command ? `${command}: ${(e as Error).message}` : (e as Error).message, hint: usage });
  }
}
