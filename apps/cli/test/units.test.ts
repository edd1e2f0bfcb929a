import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { projectName } from '../src/commands/new.js';
import { usesBundle } from '../src/entry-choice.js';
import { bytesPreview, grouped, printableText, sizeText, terminalSafe } from '../src/format.js';
import { type CliIo, terminalSafeIo } from '../src/io.js';
import { ProgressBar } from '../src/progress.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('output formatting', () => {
  it('groups digits as en-US does, without loading the locale data', () => {
    for (const n of [0, 7, 999, 1000, 5616, 99999, 123456, 1234567, 1e9, -1234.6, 582.5]) {
      expect(grouped(n), String(n)).toBe(Math.round(n).toLocaleString('en-US'));
    }
  });

  it('shows text only when it is printable', () => {
    expect(printableText(enc('3628800'))).toBe('3628800');
    expect(printableText(enc('two\nlines\ttab\r\n'))).toBe('two\nlines\ttab\r\n');
    expect(printableText(enc('naïve ✓'))).toBe('naïve ✓');
    // Terminal escapes, NUL, invalid UTF-8, bidi overrides: hex, never raw.
    expect(printableText(enc('\x1b[2Jcleared'))).toBeNull();
    expect(printableText(Uint8Array.of(0x41, 0))).toBeNull();
    expect(printableText(Uint8Array.of(0xff, 0xfe))).toBeNull();
    expect(printableText(enc('abc\u202edef'))).toBeNull();
    expect(printableText(new Uint8Array(0))).toBeNull();
  });
  it('previews bytes as quoted text or hex, cut at a limit', () => {
    expect(bytesPreview(enc('hi\n'))).toBe('3 bytes (text): "hi\\n"');
    expect(bytesPreview(Uint8Array.of(1, 2, 255))).toBe('3 bytes (hex): 0102ff');
    expect(bytesPreview(new Uint8Array(0))).toBe('0 bytes');
    expect(bytesPreview(Uint8Array.of(1), 1)).toBe('1 byte (hex): 01');
    expect(bytesPreview(new Uint8Array(20), 4)).toBe('20 bytes (hex): 00000000 ... (16 more)');
    expect(bytesPreview(enc('abcdef'), 2)).toBe('6 bytes (text): "ab" ... (4 more characters)');
  });
  it('escapes every terminal control in text from a file, keeping tabs and newlines', () => {
    expect(terminalSafe('standard')).toBe('standard');
    expect(terminalSafe('two\nlines\ttab')).toBe('two\nlines\ttab');
    expect(terminalSafe('naïve ✓')).toBe('naïve ✓');
    expect(terminalSafe('\x1b[1A\x1b[2Kok')).toBe('\\u001b[1A\\u001b[2Kok');
    expect(terminalSafe('a\rb\x07\x00\x7f')).toBe('a\\u000db\\u0007\\u0000\\u007f');
    expect(terminalSafe('\u009b2J \u202eevil \u2066x\u2069 \u2028')).toBe(
      '\\u009b2J \\u202eevil \\u2066x\\u2069 \\u2028',
    );
    // Inside a JSON string the escapes mean the same characters: JSON output stays exact.
    const name = '\u202e\u0085x';
    expect(JSON.parse(terminalSafe(JSON.stringify({ name }))).name).toBe(name);
  });
  it('a terminal-safe io escapes text and passes bytes through', () => {
    const out: (string | Uint8Array)[] = [];
    const io = terminalSafeIo({
      stdout: (d) => out.push(d),
      stderr: (d) => out.push(d),
      readFile: () => new Uint8Array(0),
      writeFile: () => {},
      now: () => 0,
      cwd: () => '/',
    });
    io.stdout('config \x1b[31mred\n');
    io.stderr(Uint8Array.of(0x1b, 0x5b));
    expect(out[0]).toBe('config \\u001b[31mred\n');
    expect(Array.from(out[1] as Uint8Array)).toEqual([0x1b, 0x5b]);
  });
  it('sizes', () => {
    expect(sizeText(1000)).toBe('1,000 bytes');
    expect(sizeText(57820)).toBe('57,820 bytes (56.5 KiB)');
    expect(sizeText(3 << 20)).toBe('3,145,728 bytes (3.0 MiB)');
  });
  it('project names from directories', () => {
    expect(projectName('/tmp/my guest!')).toBe('my-guest');
    expect(projectName('hello_world')).toBe('hello_world');
    expect(projectName('/tmp/…')).toBe('guest');
  });
});

describe('progress bar', () => {
  const io = (tty: boolean) => {
    const err: string[] = [];
    let t = 0;
    const fake: CliIo = {
      stdout: () => {},
      stderr: (d) => err.push(String(d)),
      readFile: () => new Uint8Array(0),
      writeFile: () => {},
      now: () => (t += 500),
      cwd: () => '/',
      stderrIsTTY: tty,
      columns: 60,
    };
    return { fake, err };
  };
  it('redraws one line in place on a terminal and erases it when done', () => {
    const { fake, err } = io(true);
    const bar = new ProgressBar(fake, 'proving', true);
    bar.update('trace', 0.02);
    bar.update('fri', 0.5);
    bar.update('fri', 7); // clamped
    bar.done();
    expect(err[0]).toBe('\r\x1b[2Kproving [....................]   2%  trace  0.5 s');
    expect(err[1]).toBe('\r\x1b[2Kproving [##########..........]  50%  fri  1.0 s');
    expect(err[2]).toBe('\r\x1b[2Kproving [####################] 100%  fri  1.5 s');
    expect(err[3]).toBe('\r\x1b[2K');
    expect(err).toHaveLength(4);
  });
  it('draws nothing when disabled (not a terminal, or --json)', () => {
    const { fake, err } = io(false);
    const bar = new ProgressBar(fake, 'proving', false);
    bar.update('fri', 0.5);
    bar.done();
    expect(err).toEqual([]);
  });
});

describe('which build bin/nexus.js runs', () => {
  const cwd = tmpdir(); // no nexus.config.* there
  it('the bundle for verify, inspect, run, trace and prove without a config file', () => {
    expect(usesBundle(['verify', 'a.proof', '--elf', 'a.elf'], cwd)).toBe(true);
    expect(usesBundle(['--verbose', 'inspect', 'a.elf'], cwd)).toBe(true);
    expect(usesBundle(['run', 'a.elf'], cwd)).toBe(true);
    expect(usesBundle(['prove', 'a.elf', '--workers', '2'], cwd)).toBe(true);
  });
  it("the modules for worker and prove --queue (BullMQ), and with a config's plugins", () => {
    expect(usesBundle(['prove', 'a.elf', '--queue', 'redis://127.0.0.1:6379'], cwd)).toBe(false);
    expect(usesBundle(['prove', 'a.elf', '--queue=redis://127.0.0.1:6379'], cwd)).toBe(false);
    expect(usesBundle(['worker', '--queue', 'q'], cwd)).toBe(false);
    // A Node.js that cannot require ES modules: prove on the modules, verify still bundled.
    expect(usesBundle(['prove', 'a.elf'], cwd, false)).toBe(false);
    expect(usesBundle(['verify', 'a.proof', '--elf', 'a.elf'], cwd, false)).toBe(true);
    expect(usesBundle(['verify', 'a.proof', '--config', 'c.mjs'], cwd)).toBe(false);
    expect(usesBundle(['verify', 'a.proof', '--config=c.mjs'], cwd)).toBe(false);
    expect(usesBundle([], cwd)).toBe(false);
  });
});
