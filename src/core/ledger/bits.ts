/**
 * 64-bit style bit arithmetic on non-negative safe-integer numbers. JS bitwise operators truncate to 32 bits,
 * and tree sizes and indices exceed that, so each helper splits values into 32-bit halves.
 */
import { fail } from './errors';

const TWO32 = 2 ** 32;

/** Rejects anything that is not an integer in [0, 2^53): sizes and indices come from untrusted input. */
export function checkUint(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) fail('BAD_NUMBER', `${what} must be a non-negative safe integer`);
}

function hi(x: number): number {
  return Math.floor(x / TWO32);
}

function lo(x: number): number {
  return x >>> 0;
}

/** Number of bits needed to represent x (Go's bits.Len64). */
export function bitLen(x: number): number {
  const h = hi(x);
  if (h > 0) return 64 - Math.clz32(h);
  return 32 - Math.clz32(lo(x));
}

/** Trailing zero bits (Go's bits.TrailingZeros64); 64 for zero. */
export function trailingZeros(x: number): number {
  const l = lo(x);
  if (l !== 0) return 31 - Math.clz32(l & -l);
  const h = hi(x);
  if (h !== 0) return 32 + 31 - Math.clz32(h & -h);
  return 64;
}

function popcount32(v: number): number {
  let x = v >>> 0;
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Set bits (Go's bits.OnesCount64). */
export function onesCount(x: number): number {
  return popcount32(lo(x)) + popcount32(hi(x));
}

export function xor(a: number, b: number): number {
  return ((hi(a) ^ hi(b)) >>> 0) * TWO32 + ((lo(a) ^ lo(b)) >>> 0);
}

export function and(a: number, b: number): number {
  return ((hi(a) & hi(b)) >>> 0) * TWO32 + ((lo(a) & lo(b)) >>> 0);
}

export function shr(x: number, k: number): number {
  return Math.floor(x / 2 ** k);
}

export function shl(x: number, k: number): number {
  return x * 2 ** k;
}

/** Bit i of x, as 0 or 1. */
export function bitAt(x: number, i: number): number {
  return shr(x, i) % 2;
}

/** Smallest power of two >= n (n >= 1). */
export function bitCeil(n: number): number {
  return n <= 1 ? 1 : 2 ** bitLen(n - 1);
}
