import { describe, expect, it } from 'vitest';
import {
  CONFIG_NAME,
  KernelError,
  type PcsConfig,
  resolveConfig,
  SECURITY,
  validateConfig,
} from '../src/index.js';

const named = (name: string): PcsConfig => ({ ...SECURITY.standard, name });

describe('PCS config names', () => {
  it('accepts the presets and plain names up to 32 characters', () => {
    for (const c of Object.values(SECURITY)) expect(() => validateConfig(c)).not.toThrow();
    for (const name of ['custom', 'a', '0', 'fast-1.2_b', `a${'b'.repeat(31)}`]) {
      expect(() => validateConfig(named(name))).not.toThrow();
      expect(resolveConfig(named(name)).name).toBe(name);
    }
  });

  it('refuses escape codes and anything outside [a-z0-9._-], with a message that does not echo the name', () => {
    // Issue 16: a name of any 32 characters, printed by `nexus verify`, could rewrite the
    // terminal lines after it ("\x1b[1A\x1b[2K" moves up a line and erases it).
    const hostile = [
      '\x1b[1A\x1b[2K  public output  7 bytes (text): "PWNED!!"',
      'std\x1b]0;title\x07',
      'a\rb',
      'a\nb',
      'std\u202eevil', // right-to-left override: reorders what follows on the line
      'std\u009b2K', // C1 CSI: an escape sequence on 8-bit terminals
      '',
      'Standard',
      'two words',
      '-dash-first',
      '.hidden',
      'ü',
      `a${'b'.repeat(32)}`, // 33 characters
    ];
    for (const name of hostile) {
      expect(CONFIG_NAME.test(name)).toBe(false);
      let error: unknown;
      try {
        validateConfig(named(name));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(KernelError);
      expect((error as Error).message).toMatch(/^invalid PCS config: name must be 1 to 32/);
      if (name !== '') expect((error as Error).message).not.toContain(name);
      expect(() => resolveConfig(named(name))).toThrow(KernelError);
    }
    // Not a string at all (a decoded proof always gives one; a JS caller may not).
    expect(() => validateConfig(named(7 as unknown as string))).toThrow(/name must be/);
  });

  it('still checks the numeric parameters', () => {
    expect(() => validateConfig({ ...SECURITY.standard, logBlowup: 0 })).toThrow(/logBlowup/);
    expect(() => validateConfig({ ...SECURITY.standard, nQueries: 513 })).toThrow(/nQueries/);
    expect(() => validateConfig({ ...SECURITY.standard, friFoldStep: 5 })).toThrow(/friFoldStep/);
    expect(() => resolveConfig('faster' as 'test')).toThrow(/unknown security preset "faster"/);
  });
});
