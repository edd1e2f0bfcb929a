import { describe } from 'vitest';
import { proveCases } from './prove.js';

describe('Rust guests prove and verify (2/2)', () => {
  proveCases(['fib', 'oom', 'recursion', 'selftest', 'hash']);
});
