// Start-up cost guard: the parts of the app that are not on the first screen
// (dialogs, panels, the Spanish and Italian catalogues) must be reachable from
// main.ts only through dynamic import(), so Vite keeps them out of the
// start-up bundle. A static import anywhere on the way pulls them back in;
// this walks the static import graph of the sources and says where.
import { describe, expect, it } from 'vitest';

type FsLike = { readFileSync(path: string, enc: 'utf8'): string; existsSync(path: string): boolean };
// @types/node is not a dependency: name the module at run time and type what we use.
const fsModule: string = 'node:fs';
const { existsSync, readFileSync } = (await import(/* @vite-ignore */ fsModule)) as FsLike;

const SRC = decodeURIComponent(new URL('./', import.meta.url).pathname); // ends in /
const join = (dir: string, rel: string) => decodeURIComponent(new URL(rel, `file://${dir.endsWith('/') ? dir : `${dir}/`}`).pathname);
const dirname = (file: string) => file.slice(0, file.lastIndexOf('/') + 1);
const relative = (from: string, file: string) => (file.startsWith(from) ? file.slice(from.length) : file);

/** Loaded on demand; never in the start-up graph. */
const LAZY = [
  'features/composer/Composer.svelte',
  'features/clients/ClientDialog.svelte',
  'features/settings/SettingsDialog.svelte',
  'features/media/MediaLibraryDialog.svelte',
  'features/media/MediaPicker.svelte',
  'features/outbox/OutboxDialog.svelte',
  'features/outbox/DueNowPanel.svelte',
  'features/inbox/InboxView.svelte',
  'features/report/ReportDialog.svelte',
  'lib/i18n/catalog/report.es.ts',
  'lib/i18n/catalog/report.it.ts',
  'features/export/ExportDialog.svelte',
  'features/csvimport/ImportDialog.svelte',
  'features/csvimport/ExportDialog.svelte',
  'features/firstrun/FirstRun.svelte',
  'lib/ui/ConfirmDialog.svelte',
  'lib/ui/Modal.svelte',
  'lib/i18n/catalog/es.ts',
  'lib/i18n/catalog/it.ts',
  'lib/i18n/catalogs.ts',
];

/** Whole features that are not on the first screen: nothing in them is in the start-up graph. */
const LAZY_DIRS = ['features/brandkit/', 'features/composer/', 'features/media/', 'features/settings/', 'features/export/', 'features/firstrun/', 'features/accounts/'];
/** Spanish and Italian sections of the catalogues (catalog/inbox.es.ts …): loaded with their language. */
const LAZY_FILE = /\/i18n\/catalog\/[^/]*\.(es|it)\.ts$/;

/** Static value imports of a source file (not `import type`, not import()). */
export function staticImports(code: string): string[] {
  const out: string[] = [];
  const re = /^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
  for (const m of code.matchAll(re)) out.push(m[1]);
  return out;
}

function resolveImport(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined; // packages
  const base = join(dirname(from), spec);
  for (const p of [base, `${base}.ts`, `${base}.svelte.ts`, `${base}/index.ts`]) {
    if (existsSync(p) && /\.(ts|svelte)$/.test(p)) return p;
  }
  return undefined;
}

/** file → the file that first imported it, for every file statically reachable from entry. */
function reachable(entry: string): Map<string, string> {
  const seen = new Map<string, string>([[entry, '']]);
  const todo = [entry];
  while (todo.length) {
    const file = todo.pop()!;
    for (const spec of staticImports(readFileSync(file, 'utf8'))) {
      const dep = resolveImport(file, spec);
      if (dep && !seen.has(dep)) {
        seen.set(dep, file);
        todo.push(dep);
      }
    }
  }
  return seen;
}

describe('start-up bundle', () => {
  it('finds static imports and skips type-only and dynamic ones', () => {
    const code = [
      "import A from './a.svelte';",
      "import { b, type C } from './b';",
      "import type { D } from './d.svelte';",
      "import './app.css';",
      "export { e } from './e';",
      "const f = () => import('./f.svelte');",
    ].join('\n');
    expect(staticImports(code)).toEqual(['./a.svelte', './b', './app.css', './e']);
  });

  it('keeps dialogs, panels and the es/it catalogues out of the static graph of main.ts', () => {
    const graph = reachable(join(SRC, 'main.ts'));
    expect(graph.has(join(SRC, 'features/calendar/Calendar.svelte'))).toBe(true); // the walk works
    const offenders = LAZY.map((f) => join(SRC, f))
      .filter((f) => graph.has(f))
      .map((f) => `${relative(SRC, f)} (imported by ${relative(SRC, graph.get(f)!)})`);
    expect(offenders).toEqual([]);
  });

  it('keeps whole feature folders (the editor and brand kit among them), and the es/it catalogue sections, out of it', () => {
    const graph = reachable(join(SRC, 'main.ts'));
    const offenders = [...graph.keys()]
      .filter((f) => LAZY_DIRS.some((d) => f.startsWith(join(SRC, d))) || LAZY_FILE.test(f))
      .map((f) => `${relative(SRC, f)} (imported by ${relative(SRC, graph.get(f)!)})`);
    expect(offenders).toEqual([]);
  });
});
