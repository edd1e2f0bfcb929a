import { describe, expect, it } from 'vitest';
import { PROVE_CASES, proveCases } from './prove.js';
import { GUESTS } from './support.js';

describe('Rust guests prove and verify (1/2)', () => {
  it('the two files cover every committed guest', () => {
    expect(Object.keys(PROVE_CASES).sort()).toEqual([...GUESTS].sort());
  });
  // A panicking guest's proof holds for its exit code 101 and its output, and for nothing else.
  proveCases(['panic', 'sha256', 'collections'], ['panic']);
});
