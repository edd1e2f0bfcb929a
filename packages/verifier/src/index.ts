/**
 * @nexus/verifier: checks a Circle STARK proof against a statement. Depends only on the kernel,
 * the field, the system's hash backend and @nexus/kernels-wasm (the column kernels of its hot
 * checks, which run in a browser too); small enough for a browser.
 */
export {
  DEFAULT_MIN_SECURITY_BITS,
  type VerifyOptions,
  verify,
  verifySegment,
  verifySegments,
} from './verify.js';
