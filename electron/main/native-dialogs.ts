/**
 * The OS's own open and save dialogs for pipelines (the contract's chooseOpenPath /
 * chooseSavePath, answered in main because main owns the window). Both filter to *.flow.json; the
 * save dialog filters to *.html when it asks where a run report goes.
 *
 * macOS compares only the last extension with a filter, so "flow.json" would grey out every
 * pipeline there: it filters on "json", and the studio adds ".flow.json" to a name saved without it.
 */
import type { BrowserWindowInstance, ElectronMain, FileDialogOptions } from './electron-api.ts';
import type { Platform } from './menu.ts';

export function pipelineFilters(platform: Platform): FileDialogOptions['filters'] {
  return [{ name: 'Flowline pipelines', extensions: [platform === 'darwin' ? 'json' : 'flow.json'] }];
}

export function openDialogOptions(platform: Platform, dir?: string): FileDialogOptions {
  return { title: 'Open a pipeline', ...(dir ? { defaultPath: dir } : {}), buttonLabel: 'Open', filters: pipelineFilters(platform), properties: ['openFile'] };
}

export function saveDialogOptions(platform: Platform, suggested?: string, kind: 'pipeline' | 'report' = 'pipeline'): FileDialogOptions {
  const what = kind === 'report' ? { title: 'Save the run report', filters: [{ name: 'HTML report', extensions: ['html'] }] } : { title: 'Save the pipeline as', filters: pipelineFilters(platform) };
  return { ...what, ...(suggested ? { defaultPath: suggested } : {}), buttonLabel: 'Save', properties: ['createDirectory', 'showOverwriteConfirmation'] };
}

/** The two dialog methods of the contract, over Electron's `dialog`, attached to the asking window. */
export function nativeDialogs(dialog: ElectronMain['dialog'], platform: Platform) {
  return {
    async chooseOpenPath(win: BrowserWindowInstance, dir?: string): Promise<string | null> {
      const result = await dialog.showOpenDialog(win, openDialogOptions(platform, dir));
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    async chooseSavePath(win: BrowserWindowInstance, suggested?: string, kind?: 'pipeline' | 'report'): Promise<string | null> {
      const result = await dialog.showSaveDialog(win, saveDialogOptions(platform, suggested, kind));
      return result.canceled || !result.filePath ? null : result.filePath;
    },
  };
}
