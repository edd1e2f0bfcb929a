/**
 * @nexus/verifier: checks a Circle STARK proof against a statement. Depends only on the kernel,
 * the field and the system's hash backend; small enough for a browser.
 */
export {
  DEFAULT_MIN_SECURITY_BITS,
  type VerifyOptions,
  verify,
  verifySegment,
  verifySegments,
} from './verify.js';
