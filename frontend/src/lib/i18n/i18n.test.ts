import { describe, expect, it } from 'vitest';
import { catalogs } from './catalogs';
import {
  detectLanguage,
  interpolate,
  keysOf,
  lookup,
  normalizeLanguage,
  placeholders,
  translate,
  UI_LANGUAGES,
} from './core';

describe('catalogues', () => {
  const reference = keysOf(catalogs.en);

  it('have a sizeable English reference', () => {
    expect(reference.length).toBeGreaterThan(150);
  });

  for (const lang of UI_LANGUAGES) {
    it(`${lang} has exactly the English key set`, () => {
      const keys = keysOf(catalogs[lang]);
      expect(keys.filter((k) => !reference.includes(k))).toEqual([]);
      expect(reference.filter((k) => !keys.includes(k))).toEqual([]);
    });

    it(`${lang} has no empty message and the same placeholders as English`, () => {
      for (const key of reference) {
        const msg = lookup(catalogs[lang], key);
        expect(typeof msg, key).toBe('string');
        expect(msg!.trim().length, key).toBeGreaterThan(0);
        expect(placeholders(msg!), key).toEqual(placeholders(lookup(catalogs.en, key)!));
      }
    });
  }

  it('keysOf walks nested trees and reports leaves only', () => {
    expect(keysOf({ a: 'x', b: { c: 'y', d: { e: 'z' } } })).toEqual(['a', 'b.c', 'b.d.e']);
  });

  it('covers the guideline warnings of a save', () => {
    expect(lookup(catalogs.en, 'warn.guidelines.banned')).toContain('{word}');
    expect(lookup(catalogs.en, 'warn.guidelines.missing')).toContain('{tag}');
  });

});

// ---------------------------------------------------------------------------
// Every error key the Go side can send has a message in es, it and en, found
// by scanning the Go sources (not a hand-kept list): `Errorf(<code>, "<key>"`,
// keys passed through helpers (`conflict("outbox.sending", …)`,
// `httpx.Transport("mastodon.unreachable", …)`) and keys held in variables or
// constants. The params each site adds with `.WithParam("name", …)` are
// collected too: a message may only use placeholders every site supplies.

/** One place in the Go code that raises an error key. */
export interface GoErrorSite {
  key: string;
  where: string; // file:line
  params: string[];
}

interface GoFile {
  path: string;
  text: string;
}

/** Index just past the bracket that closes the one at `open` (strings, runes and raw strings skipped). */
function closeParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
    } else if (c === '`') {
      i = text.indexOf('`', i + 1);
      if (i < 0) return text.length;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return text.length;
}

/** The top-level arguments of the call whose "(" is at `open`. */
function callArgs(text: string, open: number): string[] {
  const end = closeParen(text, open) - 1;
  const args: string[] = [];
  let start = open + 1;
  for (let i = open + 1; i < end; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') {
      const close = c === '(' ? closeParen(text, i) - 1 : i; // brackets in args are rare; parens matter
      i = close;
    } else if (c === '"' || c === "'") {
      for (i++; i < end && text[i] !== c; i++) if (text[i] === '\\') i++;
    } else if (c === '`') {
      i = text.indexOf('`', i + 1);
    } else if (c === ',') {
      args.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = text.slice(start, end).trim();
  if (last) args.push(last);
  return args;
}

/** The params of `.WithParam("x", …)` calls chained after the call ending at `from`. */
function chainedParams(text: string, from: number): string[] {
  const out: string[] = [];
  let i = from;
  for (;;) {
    const m = /^\s*\.\s*(\w+)\s*\(/.exec(text.slice(i, i + 200));
    if (!m) return out;
    const open = i + m[0].length - 1;
    if (m[1] === 'WithParam') {
      const p = /^"(\w+)"/.exec(callArgs(text, open)[0] ?? '');
      if (p) out.push(p[1]);
    }
    i = closeParen(text, open);
  }
}

const lineOf = (text: string, index: number) => text.slice(0, index).split('\n').length;

const goString = (arg: string | undefined) => (arg && /^"[^"\\]*"$/.test(arg) ? arg.slice(1, -1) : undefined);

/** Every error key the Go sources raise, with the params of each site. */
export function scanGoErrors(files: GoFile[]): { sites: GoErrorSite[]; unresolved: string[] } {
  const sites: GoErrorSite[] = [];
  const unresolved: string[] = [];
  const helpers: { name: string; index: number; params: string[] }[] = [];
  const consts = new Map<string, string>();
  for (const f of files) {
    for (const m of f.text.matchAll(/^\s*(?:const\s+)?(\w+)\s*=\s*"([a-z0-9_]+(?:\.[a-z0-9_]+)+)"\s*$/gm)) consts.set(m[1], m[2]);
  }
  const errorf = /(?<![\w.]fmt\.|func\s+)\bErrorf\(\s*[\w.]+\s*,/g;
  for (const f of files) {
    const text = f.text.replace(/^[ \t]*\/\/.*$/gm, (c) => ' '.repeat(c.length));
    for (const m of text.matchAll(errorf)) {
      const open = m.index! + m[0].indexOf('(');
      const end = closeParen(text, open);
      const args = callArgs(text, open);
      const params = chainedParams(text, end);
      // `e := backend.Errorf(…)` then `e.WithParam(…)` in the next lines.
      const lineStart = text.lastIndexOf('\n', m.index!) + 1;
      const assigned = /(\w+)\s*:?=\s*[\w.]*$/.exec(text.slice(lineStart, m.index!));
      if (assigned) {
        const after = text.slice(end, end + 800);
        for (const p of after.matchAll(new RegExp(`\\b${assigned[1]}\\.WithParam\\("(\\w+)"`, 'g'))) params.push(p[1]);
      }
      const where = `${f.path}:${lineOf(text, m.index!)}`;
      const literal = goString(args[1]);
      if (literal !== undefined) {
        sites.push({ key: literal, where, params });
        continue;
      }
      const ident = args[1];
      // A parameter of the enclosing function: a helper whose callers pass the key.
      const funcs = [...text.slice(0, m.index!).matchAll(/^func\s+(?:\([^)]*\)\s*)?(\w+)\(([^)]*)\)/gm)];
      const fn = funcs[funcs.length - 1];
      const names = fn ? fn[2].split(',').map((p) => p.trim().split(/\s+/)[0]) : [];
      if (fn && names.includes(ident)) {
        helpers.push({ name: fn[1], index: names.indexOf(ident), params });
        continue;
      }
      // A local variable or a constant holding the key.
      const body = fn ? text.slice(fn.index!, closeParen(text, open)) : '';
      const locals = [...body.matchAll(new RegExp(`\\b${ident}\\s*:?=\\s*"([a-z0-9_.]+)"`, 'g'))].map((v) => v[1]);
      const keys = locals.length ? locals : consts.has(ident) ? [consts.get(ident)!] : [];
      if (keys.length === 0) unresolved.push(`${where}: Errorf key ${ident}`);
      for (const key of keys) sites.push({ key, where, params });
    }
  }
  for (const h of helpers) {
    const call = new RegExp(`(?<!func\\s+(?:\\([^)]*\\)\\s*)?)\\b${h.name}\\(`, 'g');
    for (const f of files) {
      for (const m of f.text.matchAll(call)) {
        const open = m.index! + m[0].length - 1;
        const arg = callArgs(f.text, open)[h.index];
        const key = goString(arg);
        const where = `${f.path}:${lineOf(f.text, m.index!)}`;
        if (key !== undefined) sites.push({ key, where, params: [...h.params, ...chainedParams(f.text, closeParen(f.text, open))] });
        else if (arg && !/^\w+$/.test(arg)) unresolved.push(`${where}: ${h.name}(…) key ${arg}`);
      }
    }
  }
  return { sites, unresolved };
}

type FsLike = {
  readdirSync(dir: string, opts: { recursive: true }): string[];
  readFileSync(path: string, enc: 'utf8'): string;
  existsSync(path: string): boolean;
};

describe('Go error keys', async () => {
  // @types/node is not a dependency: name the module at run time and type what we use.
  const fsModule: string = 'node:fs';
  const fs = (await import(/* @vite-ignore */ fsModule)) as FsLike;
  const root = decodeURIComponent(new URL('../../../../', import.meta.url).pathname);
  const files: GoFile[] = [];
  for (const dir of ['backend', 'app', 'cli']) {
    for (const rel of fs.readdirSync(root + dir, { recursive: true })) {
      if (!rel.endsWith('.go') || rel.endsWith('_test.go')) continue;
      files.push({ path: `${dir}/${rel}`, text: fs.readFileSync(`${root}${dir}/${rel}`, 'utf8') });
    }
  }
  const { sites, unresolved } = scanGoErrors(files);
  const byKey = new Map<string, GoErrorSite[]>();
  for (const s of sites) byKey.set(s.key, [...(byKey.get(s.key) ?? []), s]);

  it('finds the Go sources and a realistic number of keys', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(byKey.size).toBeGreaterThan(80);
    for (const k of ['client.name_required', 'keychain.unavailable', 'outbox.sending', 'mastodon.unreachable', 'mastodon.bad_answer', 'post.too_many_hashtags', 'template.not_found']) {
      expect(byKey.has(k), k).toBe(true);
    }
  });

  it('resolves every key, including those passed through helpers and variables', () => {
    expect(unresolved).toEqual([]);
  });

  for (const lang of UI_LANGUAGES) {
    it(`${lang} has a message for every key, using only params the Go code supplies`, () => {
      const missing: string[] = [];
      const badParams: string[] = [];
      for (const [key, list] of byKey) {
        const msg = lookup(catalogs[lang], `err.${key}`);
        if (typeof msg !== 'string' || !msg.trim()) {
          missing.push(`err.${key} (${list[0].where})`);
          continue;
        }
        // Params every site of the key supplies; "network" is shown by its name.
        const always = list.map((s) => new Set(s.params)).reduce((a, b) => new Set([...a].filter((p) => b.has(p))));
        for (const p of placeholders(msg)) if (!always.has(p)) badParams.push(`err.${key}: {${p}} (${list.find((s) => !s.params.includes(p))!.where})`);
      }
      expect(missing).toEqual([]);
      expect(badParams).toEqual([]);
    });
  }
});

describe('scanGoErrors', () => {
  const scan = (text: string) => scanGoErrors([{ path: 'x.go', text }]);
  it('reads literal keys and their chained params', () => {
    const { sites } = scan(`func f() error {
	return backend.Errorf(backend.EInvalid, "a.b", "x %q", y).
		WithField("f").WithParam("name", y).WithParam("max", itoa(3))
}`);
    expect(sites).toEqual([{ key: 'a.b', where: 'x.go:2', params: ['name', 'max'] }]);
  });
  it('follows keys through helpers, variables and constants, and ignores fmt.Errorf', () => {
    const { sites, unresolved } = scan(`const keyBad = "m.bad"
func conflict(key, format string, args ...any) error {
	return backend.Errorf(backend.EConflict, key, format, args...)
}
func g(over bool) error {
	key := "p.over"
	if over {
		key = "p.tags"
	}
	_ = fmt.Errorf("wrap: %w", err)
	_ = conflict("o.sending", "busy")
	_ = Errorf(EInvalid, keyBad, "x").WithParam("host", h)
	return Errorf(EInvalid, key, "x").WithParam("used", u)
}`);
    expect(unresolved).toEqual([]);
    expect(sites.map((s) => `${s.key}:${s.params.join('+')}`).sort()).toEqual(['m.bad:host', 'o.sending:', 'p.over:used', 'p.tags:used']);
  });
  it('reports a key it cannot resolve', () => {
    expect(scan(`func h() error { return Errorf(EInvalid, pick(), "x") }`).unresolved).toHaveLength(1);
  });
});

describe('interpolate', () => {
  it('fills placeholders, repeated ones too', () => {
    expect(interpolate('{a} and {b} and {a}', { a: 'x', b: 2 })).toBe('x and 2 and x');
  });
  it('leaves unknown placeholders visible', () => {
    expect(interpolate('Hi {name}, {missing}', { name: 'Ana' })).toBe('Hi Ana, {missing}');
  });
  it('returns the template without params', () => {
    expect(interpolate('{x}')).toBe('{x}');
  });
  it('does not read inherited properties', () => {
    expect(interpolate('{toString}', {})).toBe('{toString}');
  });
});

describe('translate', () => {
  it('picks the language', () => {
    expect(translate('it', 'calendar.today')).toBe('Oggi');
    expect(translate('es', 'calendar.today')).toBe('Hoy');
    expect(translate('en', 'calendar.today')).toBe('Today');
  });
  it('interpolates', () => {
    expect(translate('es', 'sidebar.editClient', { name: 'Sol' })).toBe('Editar Sol');
  });
  it('returns the key for a missing message and for a branch', () => {
    expect(translate('en', 'nope.never')).toBe('nope.never');
    expect(translate('en', 'calendar')).toBe('calendar');
  });
});

describe('detectLanguage', () => {
  it('prefers the saved setting', () => {
    expect(detectLanguage('it', 'es', ['en-US'])).toBe('it');
  });
  it('falls back to the OS language when the setting is empty', () => {
    expect(detectLanguage('', 'es', ['it-IT'])).toBe('es');
  });
  it('then to the web view languages, skipping unsupported ones', () => {
    expect(detectLanguage('', '', ['de-DE', 'it-CH', 'es'])).toBe('it');
  });
  it('then to English', () => {
    expect(detectLanguage('', '', ['fr-FR', 'de'])).toBe('en');
    expect(detectLanguage(undefined, null)).toBe('en');
  });
  it('normalizes POSIX and BCP 47 tags', () => {
    expect(normalizeLanguage('es_ES.UTF-8')).toBe('es');
    expect(normalizeLanguage('IT')).toBe('it');
    expect(normalizeLanguage('en-GB')).toBe('en');
    expect(normalizeLanguage('pt-BR')).toBeUndefined();
    expect(normalizeLanguage('')).toBeUndefined();
  });
});
