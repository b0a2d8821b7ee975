/**
 * Files the OS asks Flowline to open (electron/main/open-requests.ts): read from Windows, macOS and
 * Linux command lines, relative to the folder the start came from, and held until the studio has
 * loaded before they reach the window.
 */
import { describe, expect, it } from 'vitest';
import type { StudioCommand } from '../../core/host/api.ts';
import { OpenForwarder, pipelinePathsIn } from '../../electron/main/open-requests.ts';

describe('pipelines on the command line', () => {
  it('reads a Windows double-click, with Chromium flags and quotes, relative to the working folder', () => {
    const argv = ['C:\\Program Files\\Flowline\\Flowline.exe', '--allow-file-access-from-files', '--original-process-start-time=13345', '"C:\\Users\\ann\\My Pipelines\\churn.flow.json"', 'rain.FLOW.JSON', '..\\shared\\x.flow.json'];
    expect(pipelinePathsIn(argv, 'C:\\Users\\ann\\work', 'win32')).toEqual(['C:\\Users\\ann\\My Pipelines\\churn.flow.json', 'C:\\Users\\ann\\work\\rain.FLOW.JSON', 'C:\\Users\\ann\\shared\\x.flow.json']);
  });

  it('reads a macOS start (its -psn_ argument left out) and a Linux desktop file URL', () => {
    expect(pipelinePathsIn(['/Applications/Flowline.app/Contents/MacOS/Flowline', '-psn_0_123456', 'churn.flow.json'], '/Users/ann', 'darwin')).toEqual(['/Users/ann/churn.flow.json']);
    expect(pipelinePathsIn(['/opt/Flowline/flowline', 'file:///home/ann/My%20Work/churn.flow.json'], '/', 'linux')).toEqual(['/home/ann/My Work/churn.flow.json']);
    expect(pipelinePathsIn(['Flowline.exe', 'file:///C:/Users/ann/churn.flow.json'], 'C:\\', 'win32')).toEqual(['C:\\Users\\ann\\churn.flow.json']);
  });

  it('ignores anything that is not a .flow.json file: the app folder of `electron .`, a CSV, a plain .json, a remote URL', () => {
    expect(pipelinePathsIn(['/usr/bin/electron', '.', 'data.csv', 'package.json', 'file://server/share/a.flow.json', '--inspect', ''], '/home/ann', 'linux')).toEqual([]);
  });

  it('names each file once', () => {
    expect(pipelinePathsIn(['flowline', 'a.flow.json', './a.flow.json', '/home/ann/a.flow.json'], '/home/ann', 'linux')).toEqual(['/home/ann/a.flow.json']);
  });
});

describe('forwarding to the window', () => {
  const target = () => {
    const sent: StudioCommand[] = [];
    let focused = 0;
    return { sent, focused: () => focused, target: { send: (c: StudioCommand) => sent.push(c), focus: () => void focused++ } };
  };

  it('holds a file asked for at start until the studio has loaded, then opens it and brings the window forward', () => {
    const t = target();
    const opens = new OpenForwarder(t.target);
    opens.request(['/home/ann/a.flow.json']);
    expect(t.sent).toEqual([]);
    opens.ready();
    expect(t.sent).toEqual([{ command: 'open-path', path: '/home/ann/a.flow.json' }]);
    expect(t.focused()).toBe(1);
    // A second start with another file, once loaded: straight through.
    opens.request(['/home/ann/b.flow.json']);
    expect(t.sent.at(-1)).toEqual({ command: 'open-path', path: '/home/ann/b.flow.json' });
    expect(t.focused()).toBe(2);
  });

  it('opens only the last of several files asked for at once, and none when there were none', () => {
    const t = target();
    const opens = new OpenForwarder(t.target);
    opens.request(['/a.flow.json', '/b.flow.json']);
    opens.request([]);
    opens.ready();
    opens.request([]);
    expect(t.sent).toEqual([{ command: 'open-path', path: '/b.flow.json' }]);
  });

  it('keeps a request made while the window reloads for the reloaded page', () => {
    const t = target();
    const opens = new OpenForwarder(t.target);
    opens.ready();
    opens.notReady();
    opens.request(['/c.flow.json']);
    expect(t.sent).toEqual([]);
    opens.ready();
    expect(t.sent).toEqual([{ command: 'open-path', path: '/c.flow.json' }]);
  });
});
