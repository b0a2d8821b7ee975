import { useEffect, useRef, useState } from 'react';
import Editor from '@monaco-editor/react';
import { monaco } from './monaco-setup.ts';
import { useUiStore } from '../store/use-ui-store.ts';

/** Names offered by SQL completion: the focused editor's input tables and their columns. */
let sqlWords: string[] = [];
let sqlProvider = false;
function registerSqlCompletion(): void {
  if (sqlProvider) return;
  sqlProvider = true;
  monaco.languages.registerCompletionItemProvider('sql', {
    provideCompletionItems(model, position) {
      const word = model.getWordUntilPosition(position);
      const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: word.startColumn, endColumn: word.endColumn };
      return {
        suggestions: sqlWords.map((w) => ({
          label: w,
          kind: /^input\d+$/.test(w) ? monaco.languages.CompletionItemKind.Struct : monaco.languages.CompletionItemKind.Field,
          insertText: /^[A-Za-z_][A-Za-z0-9_]*$/.test(w) ? w : `"${w.replace(/"/g, '""')}"`,
          range,
        })),
      };
    },
  });
}

/**
 * A code param in Monaco. Edits commit on blur (one undo step per edit session);
 * `onCommit` may return a problem to show instead.
 */
export default function CodeEditor({ id, language, value, height, onCommit, completions }: { id: string; language: string; value: string; height: number; onCommit: (text: string) => string | null | void | false; completions?: string[] }) {
  const words = useRef(completions ?? []);
  words.current = completions ?? [];
  const theme = useUiStore((s) => s.theme);
  const [problem, setProblem] = useState<string | null>(null);
  const text = useRef(value);
  const shown = useRef(value);
  useEffect(() => {
    text.current = value;
    shown.current = value;
  }, [value]);
  return (
    <div className="code-field" id={id} data-language={language}>
      <Editor
        height={height}
        language={language}
        value={value}
        theme={theme === 'dark' ? 'vs-dark' : 'vs'}
        options={{ minimap: { enabled: false }, lineNumbers: 'off', fontSize: 12, scrollBeyondLastLine: false, wordWrap: 'on', tabSize: 2, automaticLayout: true, fixedOverflowWidgets: true }}
        onChange={(v) => {
          text.current = v ?? '';
        }}
        onMount={(editor) => {
          if (language === 'sql') registerSqlCompletion();
          editor.onDidFocusEditorText(() => {
            sqlWords = words.current;
          });
          editor.onDidBlurEditorText(() => {
            // Focus passing through (or the editor closing as another node is selected) is no edit.
            if (text.current === shown.current) return setProblem(null);
            const result = onCommit(text.current);
            setProblem(typeof result === 'string' ? result : null);
          });
        }}
      />
      {problem && <p className="field__error" role="alert">{problem}</p>}
    </div>
  );
}
