/**
 * @nexus/field: the arithmetic every other package stands on. M31 and its extensions CM31 and
 * QM31, columns over typed arrays, the circle group, cosets and circle domains, twiddles, the
 * circle FFT and line polynomials.
 */
export * from './butterflies.js';
export * from './bytes.js';
export * from './circle.js';
export * from './cm31.js';
export * from './column.js';
export * from './coset.js';
export * from './domain.js';
export * from './errors.js';
export * from './fft.js';
export * from './line.js';
export * from './m31.js';
export * from './poly.js';
export * from './qm31.js';
export * from './qm31-column.js';
export * from './twiddles.js';
export * from './vanishing.js';
