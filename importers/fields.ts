// Field checks for row parsers: each reads one column, records a readable reason when the value is bad,
// and returns a usable placeholder so that every problem of a row is reported at once, not only the first.
import { parseMajor } from '../domain/money';

export class FieldReader {
  readonly reasons: string[] = [];

  constructor(private readonly values: Readonly<Record<string, string>>) {}

  text(column: string): string {
    return (this.values[column] ?? '').trim();
  }

  /** A whole number in [min, max]. */
  integer(column: string, min: number, max: number): number {
    const raw = this.text(column);
    if (!/^-?\d{1,15}$/.test(raw)) {
      this.reasons.push(`${column} ${JSON.stringify(raw)} is not a whole number`);
      return min;
    }
    const value = Number(raw);
    if (value < min || value > max) {
      this.reasons.push(`${column} ${value} is outside ${min}–${max}`);
      return min;
    }
    return value;
  }

  /** One of the allowed values, exactly as written in the data set's documentation. */
  oneOf<const T extends string>(column: string, allowed: readonly T[]): T {
    const raw = this.text(column);
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    this.reasons.push(`${column} ${JSON.stringify(raw)} is not one of ${allowed.join(', ')}`);
    return allowed[0] as T;
  }

  /** '0' or '1'. */
  flag(column: string): boolean {
    return this.oneOf(column, ['0', '1'] as const) === '1';
  }

  /** A non-negative decimal amount in major units, converted exactly to minor units. */
  amountMinor(column: string, currency: string): number {
    const raw = this.text(column);
    try {
      const minor = parseMajor(raw, currency).minor;
      if (minor < 0) throw new Error('negative');
      return minor;
    } catch {
      this.reasons.push(
        `${column} ${JSON.stringify(raw)} is not a non-negative amount with at most 2 decimals`,
      );
      return 0;
    }
  }

  nonEmpty(column: string): string {
    const raw = this.text(column);
    if (raw === '') this.reasons.push(`${column} is empty`);
    return raw;
  }
}
