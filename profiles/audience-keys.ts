// How raw customer attributes map onto profile vocabulary: an age onto the profile's age bands, and a
// free-text job title onto a performance key. Pure; shared by the importers (which store ageBand with
// each registration) and by the internal profile (which counts them).
import { AGE_BANDS, CITY_TIERS, type AgeBand, type CityTier } from '../domain/channel-profile';

/** The age band of an age in whole years; null below 18, where the profile has no band (minors). */
export function ageBandOf(age: number): AgeBand | null {
  if (!Number.isInteger(age) || age < 18) return null;
  if (age <= 24) return '18-24';
  if (age <= 34) return '25-34';
  if (age <= 44) return '35-44';
  if (age <= 54) return '45-54';
  if (age <= 64) return '55-64';
  return '65+';
}

export function isAgeBand(value: unknown): value is AgeBand {
  return typeof value === 'string' && (AGE_BANDS as readonly string[]).includes(value);
}

export function isCityTier(value: unknown): value is CityTier {
  return typeof value === 'string' && (CITY_TIERS as readonly string[]).includes(value);
}

/**
 * A performance key for a job's share: `jobShare_` + the job as an identifier ('admin.' → 'admin',
 * 'blue-collar' → 'blue_collar'), within the 64 characters performance keys may have.
 */
export function jobShareKey(job: string): string {
  const slug = job
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return `jobShare_${slug || 'unnamed'}`.slice(0, 64);
}
