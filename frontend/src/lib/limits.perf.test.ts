// Keystroke cost of the composer's counters: every selected network measured
// once per keystroke. Goal (issue 4): under 5 ms for a 2,000-character text.
// This measures and prints; it asserts the counts only (timings vary by machine).
import { expect, it } from 'vitest';
import { measure } from './limits';

const NETWORKS = ['instagram', 'facebook', 'x', 'linkedin', 'mastodon', 'bluesky', 'threads', 'tiktok', 'pinterest', 'youtube', 'google_business'];

const typical = '¡Hoy abrimos a las 8! Pan de masa madre, cruasanes y café de especialidad ☕️ Ven a vernos en la calle Mayor 12 👉 https://panaderiasol.es/horario #PanaderíaSol #MasaMadre @sol_bakery';
function long(n: number): string {
  const parts = ['Texto largo con acentos: canción, pingüino, año. ', '👩🏽‍💻 ', 'https://example.com/a/b?c=1 ', '#Etiqueta ', '日本語 ', '@ana@mastodon.social '];
  let s = '';
  for (let i = 0; s.length < n; i++) s += parts[i % parts.length];
  return s.slice(0, n);
}

function timeKeystrokes(base: string, keys = 200): { median: number; mean: number; p95: number; max: number } {
  const samples: number[] = [];
  let text = base;
  for (let i = 0; i < keys; i++) {
    text = i % 10 === 9 ? text.slice(0, -1) : text + 'a'; // typing, with a backspace now and then
    const t0 = performance.now();
    for (const n of NETWORKS) measure(n, text);
    samples.push(performance.now() - t0);
  }
  const mean = samples.reduce((a, b) => a + b, 0) / keys;
  samples.sort((a, b) => a - b);
  return { mean, median: samples[keys >> 1], p95: samples[Math.floor(keys * 0.95)], max: samples[keys - 1] };
}

// A measurement, not a timed test: it runs only from bench/composer/run.sh.
it.skipIf(!(globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env.PAUTA_BENCH)('measures every network per keystroke (prints timings)', { timeout: 120_000 }, () => {
  // Warm up the segmenter and the regexes (a composer has typed before the 200th key).
  timeKeystrokes(typical, 50);
  const rows = {
    [`typical (${typical.length} chars)`]: timeKeystrokes(typical),
    '2,000 chars, mixed': timeKeystrokes(long(2000)),
    '2,000 chars, ASCII': timeKeystrokes('a '.repeat(1000)),
    '10,000 chars, mixed': timeKeystrokes(long(10000), 50),
  };
  const fmt = (n: number) => n.toFixed(3);
  const lines = Object.entries(rows).map(([k, v]) => `${k.padEnd(26)} median ${fmt(v.median)} ms  mean ${fmt(v.mean)} ms  p95 ${fmt(v.p95)} ms  max ${fmt(v.max)} ms`);
  console.log(`[composer counters] all ${NETWORKS.length} networks per keystroke\n` + lines.join('\n'));
  expect(measure('x', long(2000)).over).toBe(true);
  expect(measure('facebook', long(2000)).over).toBe(false);
});
