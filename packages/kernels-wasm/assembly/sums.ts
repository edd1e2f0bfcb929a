import { add, addV, sub } from './m31';

/*
 * Sums along one M31 column (the LogUp claimed sum and running sum): as @nexus/field's
 * columnSum and columnRunningSum. Inputs are canonical, so every partial result is.
 */

/** Σ a[i] mod p over n words at a (n a multiple of 4): four lanes, added at the end. */
export function m31Sum(a: usize, n: u32): u32 {
  const bytes = (<usize>n) << 2;
  let s = i32x4.splat(0);
  for (let o: usize = 0; o < bytes; o += 16) s = addV(s, v128.load(a + o));
  return add(
    add(i32x4.extract_lane(s, 0), i32x4.extract_lane(s, 1)),
    add(i32x4.extract_lane(s, 2), i32x4.extract_lane(s, 3)),
  );
}

/** out[i] = Σ_{j <= i} (a[j] - step) mod p over n words; out may be a. */
export function m31RunningSum(a: usize, n: u32, step: u32, out: usize): void {
  let acc: u32 = 0;
  const bytes = (<usize>n) << 2;
  for (let o: usize = 0; o < bytes; o += 4) {
    acc = sub(add(acc, load<u32>(a + o)), step);
    store<u32>(out + o, acc);
  }
}
