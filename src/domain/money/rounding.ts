/**
 * Named rounding modes for dividing bigints. Which one a calculation uses is part of its contract:
 * amounts the customer receives round `floor`, amounts the customer pays round `ceil`, so rounding
 * never favours the customer by accident.
 */
export type RoundingMode = 'floor' | 'ceil' | 'down' | 'up' | 'half-up' | 'half-even';

/** Every rounding mode (property tests iterate over them). */
export const ROUNDING_MODES: readonly RoundingMode[] = ['floor', 'ceil', 'down', 'up', 'half-up', 'half-even'];

/** n / d rounded with `mode`. d must not be zero. Exact integer arithmetic (no floats). */
export function divide(n: bigint, d: bigint, mode: RoundingMode): bigint {
  if (d === 0n) throw new RangeError('division by zero');
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const q = n / d; // truncates toward zero
  const r = n % d;
  if (r === 0n) return q;
  const negative = n < 0n;
  const awayFromZero = negative ? q - 1n : q + 1n;
  switch (mode) {
    case 'down':
      return q;
    case 'up':
      return awayFromZero;
    case 'floor':
      return negative ? q - 1n : q;
    case 'ceil':
      return negative ? q : q + 1n;
    case 'half-up': {
      const twice = 2n * (r < 0n ? -r : r);
      return twice >= d ? awayFromZero : q;
    }
    case 'half-even': {
      const twice = 2n * (r < 0n ? -r : r);
      if (twice > d) return awayFromZero;
      if (twice < d) return q;
      return q % 2n === 0n ? q : awayFromZero;
    }
  }
}
