import { describe, expect, it } from 'vitest';
import { cityOf, FALLBACK_ZONES, timeZones } from './zones';

describe('zones', () => {
  it('names the city of a zone', () => {
    expect(cityOf('Europe/Madrid')).toBe('Madrid');
    expect(cityOf('America/Argentina/Buenos_Aires')).toBe('Buenos Aires');
    expect(cityOf('UTC')).toBe('UTC');
  });
  it('lists the zones, including the common ones and UTC', () => {
    const z = timeZones();
    expect(z).toContain('Europe/Madrid');
    expect(z).toContain('Europe/Rome');
    expect(z).toContain('UTC');
  });
  it('has a fallback list of valid zones', () => {
    for (const zone of FALLBACK_ZONES) expect(() => new Intl.DateTimeFormat('en', { timeZone: zone })).not.toThrow();
  });
});
