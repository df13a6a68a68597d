import { describe, expect, it } from 'vitest';
import { canonicalMarkup, markupDifference } from './firstframe';

describe('comparing the first frame with the app', () => {
  const app = '<!----><a class="skip-link s-1" href="#calendar" data-testid="skip">Skip to the calendar</a> <div class="shell"><p title="a > b" id="x">1 &lt; 2</p></div>';
  // What Wails' HTML parser writes back for it: the link's attributes sorted.
  const served = '<!----><a class="skip-link s-1" data-testid="skip" href="#calendar">Skip to the calendar</a> <div class="shell"><p title="a > b" id="x">1 &lt; 2</p></div>';

  it('takes the same elements with their attributes in another order as the same drawing', () => {
    expect(markupDifference(served, app)).toBe('');
    expect(canonicalMarkup(served)).toBe(canonicalMarkup(app));
  });

  it('finds text, attribute values, elements and attribute sets that differ', () => {
    for (const other of [
      app.replace('Skip to the calendar', 'Skip'),
      app.replace('href="#calendar"', 'href="#inbox"'),
      app.replace('<p ', '<span ').replace('</p>', '</span>'),
      app.replace(' id="x"', ''),
      app.replace('<!---->', ''),
      app.replace('1 &lt; 2', '1 &lt; 3'),
    ]) {
      expect(markupDifference(served, other)).not.toBe('');
    }
    expect(markupDifference(served, app.replace('Skip to the calendar', 'Skip'))).toMatch(/^at \d+: frame …/);
  });

  it('keeps values with spaces, quotes written as entities and self-closing tags whole', () => {
    const a = '<svg width="14" viewBox="0 0 24 24"><path d="M4 20h4L19 9" class="p"/></svg><i title="&quot;x&quot; y" class="c"></i>';
    const b = '<svg viewBox="0 0 24 24" width="14"><path class="p" d="M4 20h4L19 9"/></svg><i class="c" title="&quot;x&quot; y"></i>';
    expect(markupDifference(a, b)).toBe('');
    expect(canonicalMarkup(a)).toContain('<path class="p" d="M4 20h4L19 9"/>');
  });
});
