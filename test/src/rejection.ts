import { VerificationError } from '@nexus/kernel';

/** The VerificationError `f` throws; fails the test if the verifier accepts (or throws else). */
export function rejection(f: () => void): VerificationError {
  try {
    f();
  } catch (e) {
    if (e instanceof VerificationError) return e;
    throw e;
  }
  throw new Error('the verifier accepted');
}
