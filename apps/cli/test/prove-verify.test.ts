import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeProof, encodeProof } from '@nexus/kernel';
import { decodeProofFile, encodeProofFile } from '@nexus/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../src/exit-codes.js';
import {
  expectOneLine,
  guest,
  nexus,
  pool,
  type Result,
  tempDir,
  u32le,
  writeIn,
} from './support/nexus.js';

// One proof of fib(30) at the test preset (4 bits: fast), shared by the tests below; the
// standard preset has its own test (standard.test.ts).
const { dir, cleanup } = tempDir('nexus-prove-');
afterAll(cleanup);
const fib = guest('fib');
const n30 = writeIn(dir, 'n30.bin', u32le(30));
const fib30 = writeIn(dir, 'fib30.bin', Uint8Array.of(0x28, 0xb2, 0x0c, 0, 0, 0, 0, 0)); // 832040
const proofPath = join(dir, 'fib.proof');
let proved: Result;
let proofBytes: Uint8Array;

beforeAll(async () => {
  proved = await nexus(
    ['prove', fib, '--public-input', n30, '--security', 'test', '-o', proofPath, '--json'],
    { cwd: dir },
  );
  if (proved.code !== 0) throw new Error(`prove failed (${proved.code}): ${proved.stderr}`);
  proofBytes = new Uint8Array(readFileSync(proofPath));
}, 120_000);

const verifyArgs = (proof: string, ...more: string[]) => [
  'verify',
  proof,
  '--elf',
  fib,
  '--allow-insecure',
  ...more,
];

describe('nexus prove', () => {
  it('writes the proof file and reports cycles, time, size, the claim (--json)', () => {
    const j = JSON.parse(proved.out);
    expect(j).toMatchObject({
      proof: proofPath,
      bytes: proofBytes.length,
      exitCode: 0,
      publicOutput: '28b20c0000000000',
      security: 'test',
      securityBits: 4,
      config: null,
    });
    expect(j.cycles).toBeGreaterThan(1000);
    expect(j.timeMs).toBeGreaterThan(0);
    expect(j.programCommitment).toMatch(/^[0-9a-f]{64}$/);
    expect(j.components).toMatchObject({ add: expect.any(Number), program: expect.any(Number) });
    expect(j.timings).toHaveProperty('fri');
    // The guest's debug log goes to stderr; no progress bar when stderr is not a terminal.
    expect(proved.stderr).toBe('fib(30) mod 2^64 = 832040\n');
    expect(proofBytes.length).toBeGreaterThan(10_000);
  });

  it('writes <elf>.proof by default and prints a human summary', async () => {
    const elfCopy = writeIn(dir, 'copy.elf', readFileSync(fib));
    const r = await nexus(['prove', elfCopy, '--security', 'test', '--public-input', n30]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^proved .*copy\.elf: exit code 0, [\d,]+ cycles\n/);
    expect(r.out).toMatch(/public output {2}8 bytes \(hex\): 28b20c0000000000\n/);
    expect(r.out).toMatch(/proof file {5}.*copy\.elf\.proof: [\d,]+ bytes/);
    expect(r.out).toMatch(/security {7}4 bits \(test\) INSECURE/);
    expect(r.out).toMatch(/proving time {3}\d+\.\d\d s/);
    expect(readFileSync(`${elfCopy}.proof`)).toEqual(Buffer.from(proofBytes));
    expect(r.stderr).not.toMatch(/\r/);
  }, 60_000);

  it('usage, missing and unreadable inputs, bad ELFs, guest faults: one line, distinct status', async () => {
    const notElf = writeIn(dir, 'text.elf', 'hello');
    const cases: [string[], number, RegExp][] = [
      [['prove'], EXIT.USAGE, /missing the ELF file to prove/],
      [
        ['prove', fib, '--security', 'weak'],
        EXIT.USAGE,
        /--security must be one of standard, fast, compact, test/,
      ],
      [['prove', join(dir, 'none.elf')], EXIT.NOT_FOUND, /ELF file '.*none\.elf' not found/],
      [
        ['prove', fib, '--private-input', join(dir, 'none.bin')],
        EXIT.NOT_FOUND,
        /private input '.*none\.bin' not found/,
      ],
      [['prove', fib, '--public-input', dir], EXIT.UNREADABLE, /it is a directory/],
      [['prove', notElf], EXIT.BAD_ELF, /cannot run this ELF: .*not an ELF file/],
      [
        ['prove', fib, '--max-cycles', '100'],
        EXIT.CYCLE_LIMIT,
        /CycleLimitError .* a run that faults cannot be proven/,
      ],
      [
        ['prove', fib, '-o', join(dir, 'no', 'such', 'dir.proof'), '--security', 'test'],
        EXIT.CANNOT_WRITE,
        /cannot write proof file '.*dir\.proof': its directory does not exist/,
      ],
    ];
    const results = await pool(cases, 3, ([args]) => nexus(args));
    cases.forEach(([args, code, message], i) => {
      const r = results[i]!;
      expect({ args, code: r.code }).toEqual({ args, code });
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      if (code !== EXIT.USAGE && code !== EXIT.CANNOT_WRITE) expectOneLine(r.stderr);
    });
  }, 120_000);

  it('a guest the VM runs but the zkVM cannot prove: exit 5 with the reason, not an internal error', async () => {
    // write(1, 0x7f000000, 0): the VM moves nothing and exits 0; the ecall AIR takes buffers
    // below 0x7f000000 only (an address there could alias p = 0 in the field). A one-segment
    // ELF whose code follows the headers in the same R+X segment.
    const code = [
      0x7f0005b7, // lui a1, 0x7f000
      0x00000613, // li a2, 0
      0x00100513, // li a0, 1
      0x04000893, // li a7, 64
      0x00000073, // ecall
      0x00000513, // li a0, 0
      0x05d00893, // li a7, 93
      0x00000073, // ecall
    ];
    const elf = new Uint8Array(84 + 4 * code.length);
    const v = new DataView(elf.buffer);
    elf.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]); // ELF32, little-endian
    v.setUint16(16, 2, true); // ET_EXEC
    v.setUint16(18, 243, true); // EM_RISCV
    v.setUint32(20, 1, true);
    v.setUint32(24, 0x10000 + 84, true); // entry: the first code word
    v.setUint32(28, 52, true); // program headers right after the ELF header
    v.setUint16(40, 52, true);
    v.setUint16(42, 32, true);
    v.setUint16(44, 1, true);
    for (const [o, x] of [1, 0, 0x10000, 0x10000, elf.length, elf.length, 5, 0x1000].entries())
      v.setUint32(52 + 4 * o, x, true); // PT_LOAD of the whole file at 0x10000, R+X
    for (const [k, w] of code.entries()) v.setUint32(84 + 4 * k, w, true);
    const path = writeIn(dir, 'high-buffer.elf', elf);
    const [ran, proved] = await Promise.all([
      nexus(['run', path]),
      nexus(['prove', path, '--security', 'test', '-o', join(dir, 'high-buffer.proof')]),
    ]);
    expect(ran.code).toBe(0);
    expect(proved.code).toBe(EXIT.CONFIG);
    expect(proved.stderr).toMatch(
      /^nexus prove: cannot prove this guest: the ecall at pc 0x10064 passes the buffer 0x7f000000, at or above 0x7f000000/,
    );
    expectOneLine(proved.stderr);
  });

  it('--verbose adds the stack trace', async () => {
    const r = await nexus(['prove', join(dir, 'none.elf'), '--verbose']);
    expect(r.code).toBe(EXIT.NOT_FOUND);
    expect(r.stderr).toMatch(/not found[\s\S]*\n\s+at /);
  });
});

describe('nexus verify', () => {
  it('prints the proven output and exit code; --json', async () => {
    const [text, json] = await Promise.all([
      nexus(verifyArgs(proofPath)),
      nexus(verifyArgs(proofPath, '--json')),
    ]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^INSECURE proof valid: .*fib\.elf/);
    expect(text.out).toMatch(
      /public output {2}8 bytes \(hex\): 28b20c0000000000\n {2}exit code {6}0\n/,
    );
    expect(text.out).toMatch(/public input {3}4 bytes \(hex\): 1e000000/);
    expect(text.out).toMatch(/security {7}4 bits \(config 'test'.*INSECURE/);
    expect(text.stderr).toMatch(/WARNING: INSECURE proof accepted because of --allow-insecure/);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({
      valid: true,
      publicInput: '1e000000',
      publicOutput: '28b20c0000000000',
      publicOutputText: null,
      exitCode: 0,
      securityBits: 4,
      insecure: true,
      programCommitment: JSON.parse(proved.out).programCommitment,
    });
  });

  it('rejects an insecure proof unless --allow-insecure is given', async () => {
    const r = await nexus(['verify', proofPath, '--elf', fib]);
    expect(r.code).toBe(EXIT.INVALID);
    expect(r.stderr).toMatch(
      /proof rejected \(check 'security-level'\): the proof has only 4 bits .* --allow-insecure/,
    );
    expectOneLine(r.stderr);
    const j = await nexus(['verify', proofPath, '--elf', fib, '--json']);
    expect(j.code).toBe(EXIT.INVALID);
    expect(JSON.parse(j.out)).toMatchObject({ valid: false, check: 'security-level' });
  });

  it('checks the expected public input, output and exit code', async () => {
    const other = writeIn(dir, 'other.bin', u32le(31));
    const cases: [string[], number, string | null][] = [
      [['--public-input', n30, '--expect-output', fib30, '--expect-exit', '0'], 0, null],
      [['--public-input', other], EXIT.INVALID, 'public-input'],
      [['--expect-output', other], EXIT.INVALID, 'expect-output'],
      [['--expect-output', n30, '--public-input', n30], EXIT.INVALID, 'expect-output'],
      [['--expect-exit', '1'], EXIT.INVALID, 'expect-exit'],
      [['--expect-exit', 'x'], EXIT.USAGE, null],
    ];
    const results = await pool(cases, 3, ([more]) => nexus(verifyArgs(proofPath, ...more)));
    cases.forEach(([more, code, check], i) => {
      const r = results[i]!;
      expect({ more, code: r.code }).toEqual({ more, code });
      if (check !== null) expect(r.stderr).toMatch(`proof rejected (check '${check}')`);
    });
  }, 60_000);

  it('a proof file whose claim was rewritten to the wrong output is rejected by the proof itself', async () => {
    // The claim says 832041 and so does --expect-output: the cheap comparison passes, and only
    // the STARK check can catch the lie.
    const f = decodeProofFile(proofBytes);
    const forgedOutput = Uint8Array.of(0x29, 0xb2, 0x0c, 0, 0, 0, 0, 0);
    const forged = writeIn(
      dir,
      'forged.proof',
      encodeProofFile({ ...f, publicOutput: forgedOutput }),
    );
    const expectForged = writeIn(dir, 'forged-out.bin', forgedOutput);
    const forgedExit = writeIn(dir, 'forged-exit.proof', encodeProofFile({ ...f, exitCode: 7 }));
    const [a, b] = await Promise.all([
      nexus(verifyArgs(forged, '--expect-output', expectForged)),
      nexus(verifyArgs(forgedExit, '--expect-exit', '7')),
    ]);
    for (const r of [a, b]) {
      expect(r.code).toBe(EXIT.INVALID);
      expect(r.stderr).toMatch(/proof rejected \(check '(statement|logup-sum|oods)'\)/);
      expectOneLine(r.stderr);
    }
  });

  it('rejects tampered proof files: flipped bytes in every part, truncation, trailing bytes', async () => {
    const info = await nexus(['inspect', proofPath, '--json']);
    const sections: { name: string; start: number; bytes: number }[] = JSON.parse(
      info.out,
    ).sections;
    const at = (name: string, where: 'first' | 'middle' | 'last' = 'first') => {
      const s = sections.find((x) => x.name === name);
      if (s === undefined) throw new Error(`no section ${name}`);
      return s.start + (where === 'first' ? 0 : where === 'last' ? s.bytes - 1 : s.bytes >> 1);
    };
    const offsets = [
      at('file header'),
      at('program commitment', 'middle'),
      at('system digest', 'last'),
      at('public input', 'last'),
      at('public output', 'last'),
      at('exit code'),
      at('proof: config', 'last'),
      at('proof: component sizes', 'last'),
      at('proof: claimed sums', 'middle'),
      at('proof: roots', 'middle'),
      at('proof: sampled values', 'middle'),
      at('proof: FRI last layer', 'last'),
      at('proof: proof of work'),
      at('proof: main tree values', 'middle'),
      at('proof: interaction tree witness', 'last'),
      at('proof: FRI layer 0 values', 'middle'),
      at('hash backend', 'middle'),
      proofBytes.length - 1,
    ];
    const variants: [string, Uint8Array][] = offsets.map((o) => {
      const t = proofBytes.slice();
      t[o]! ^= 0x04;
      return [`byte ${o} flipped`, t];
    });
    for (const keep of [0, 5, 100, proofBytes.length >> 1, proofBytes.length - 1])
      variants.push([`truncated to ${keep} bytes`, proofBytes.slice(0, keep)]);
    variants.push(['a byte appended', Uint8Array.of(...proofBytes, 0)]);
    const results = await pool(variants, 3, ([name, bytes]) =>
      nexus(verifyArgs(writeIn(dir, `${name.replaceAll(' ', '-')}.proof`, bytes), '--json')),
    );
    variants.forEach(([name], i) => {
      const r = results[i]!;
      expect({ name, code: r.code }).toEqual({ name, code: EXIT.INVALID });
      const j = JSON.parse(r.out);
      expect(j.valid).toBe(false);
      expect(j.check).toMatch(/^[a-z-]+$/);
      expect(r.stderr).toMatch(/^nexus verify: proof rejected \(check '[a-z-]+'\): /);
      expectOneLine(r.stderr);
    });
    // The checks that name themselves for the fields a user can tell apart.
    const checkOf = (i: number) => JSON.parse(results[i]!.out).check;
    expect(checkOf(0)).toBe('format');
    expect(checkOf(1)).toBe('program');
    expect(checkOf(2)).toBe('system');
    // A renamed backend ('blake2w-256'): not this build's, named first.
    expect(checkOf(offsets.length - 2)).toBe('hash');
    expect(checkOf(offsets.length)).toBe('format');
  }, 150_000);

  it('never prints a config name from the file raw: escape codes in it are shown, not obeyed', async () => {
    // Issue 16: the name (any 32 characters then) was printed as is, so escape codes in it
    // could move the cursor up and rewrite the lines above, e.g. the "public output" line.
    // The kernel now refuses such names ('shape'), but verify names the config before it
    // verifies (the security-level check) and inspect never verifies.
    const f = decodeProofFile(proofBytes);
    const proof = decodeProof(f.proof);
    const evil = '\x1b[1A\x1b[2K\rproof valid\u202e';
    const hostile = writeIn(
      dir,
      'hostile-name.proof',
      encodeProofFile({
        ...f,
        proof: encodeProof({ ...proof, config: { ...proof.config, name: evil } }),
      }),
    );
    const [strict, lax, laxJson, shown, shownJson] = await Promise.all([
      nexus(['verify', hostile, '--elf', fib]),
      nexus(verifyArgs(hostile)),
      nexus(verifyArgs(hostile, '--json')),
      nexus(['inspect', hostile]),
      nexus(['inspect', hostile, '--json']),
    ]);
    for (const r of [strict, lax, laxJson, shown, shownJson]) {
      for (const control of ['\x1b', '\r', '\u202e']) {
        expect(r.out).not.toContain(control);
        expect(r.stderr).not.toContain(control);
      }
    }
    expect(strict.code).toBe(EXIT.INVALID);
    expect(strict.stderr).toContain("check 'security-level'");
    expect(strict.stderr).toContain("config '\\u001b[1A\\u001b[2K\\u000dproof valid\\u202e'");
    expectOneLine(strict.stderr);
    // With the insecure config allowed, the verifier itself refuses the name.
    expect(lax.code).toBe(EXIT.INVALID);
    expect(lax.stderr).toMatch(/check 'shape'\): invalid PCS config: name must be/);
    expect(JSON.parse(laxJson.out)).toMatchObject({ valid: false, check: 'shape' });
    expect(shown.code).toBe(0);
    expect(shown.out).toContain("(config '\\u001b[1A\\u001b[2K\\u000dproof valid\\u202e': ");
    // --json keeps the exact name: the escapes are JSON's own.
    expect(JSON.parse(shownJson.out).security.name).toBe(evil);
  });

  it('a proof of another program, a swapped argument, missing files: clear errors', async () => {
    const notElf = writeIn(dir, 'not-elf', 'text');
    const cases: [string[], number, RegExp][] = [
      [
        ['verify', proofPath, '--elf', guest('factorial'), '--allow-insecure'],
        EXIT.INVALID,
        /check 'program'\): the proof is for a different program than .*factorial\.elf/,
      ],
      [['verify', fib, '--elf', fib], EXIT.USAGE, /is an ELF, not a proof file/],
      [['verify', proofPath], EXIT.USAGE, /missing --elf/],
      [
        ['verify', join(dir, 'none.proof'), '--elf', fib],
        EXIT.NOT_FOUND,
        /proof file '.*none\.proof' not found/,
      ],
      [['verify', proofPath, '--elf', join(dir, 'none.elf')], EXIT.NOT_FOUND, /ELF file/],
      [['verify', proofPath, '--elf', notElf], EXIT.BAD_ELF, /not an ELF file/],
      [['verify', proofPath, '--elf', fib, '--expect-output', dir], EXIT.UNREADABLE, /directory/],
    ];
    const results = await pool(cases, 3, ([args]) => nexus(args));
    cases.forEach(([args, code, message], i) => {
      const r = results[i]!;
      expect({ args, code: r.code }).toEqual({ args, code });
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }, 60_000);
});

describe('nexus inspect (proof file)', () => {
  it('shows the claim, the security, the components and a byte breakdown', async () => {
    const [text, json] = await Promise.all([
      nexus(['inspect', proofPath]),
      nexus(['inspect', proofPath, '--json']),
    ]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/Nexus zkVM proof file, version 2 \(STARK proof format 1\)/);
    expect(text.out).toMatch(/\nhash backend {10}blake2s \(blake2s-256\)\n/);
    expect(text.out).toMatch(/NOT verified/);
    expect(text.out).toMatch(/public output {7}8 bytes \(hex\): 28b20c0000000000/);
    expect(text.out).toMatch(/security {14}4 bits \(config 'test'.*INSECURE/);
    expect(text.out).toMatch(/\(this build's plugins\)/);
    expect(text.out).toMatch(/\n {2}add +2\^\d+ = [\d,]+\n/);
    expect(text.out).toMatch(/\n {2}proof: sampled values +[\d,]+ +\d+\.\d\n/);
    const j = JSON.parse(json.out);
    expect(j).toMatchObject({
      kind: 'proof',
      bytes: proofBytes.length,
      fileVersion: 2,
      hash: 'blake2s-256',
      sameHash: true,
      proofFormatVersion: 1,
      publicInput: '1e000000',
      publicOutput: '28b20c0000000000',
      exitCode: 0,
      sameSystem: true,
      securityBits: 4,
      security: { name: 'test', nQueries: 3 },
    });
    // The sections tile the file: contiguous, in order, every byte once.
    let next = 0;
    for (const s of j.sections) {
      expect(s.start).toBe(next);
      next += s.bytes;
    }
    expect(next).toBe(proofBytes.length);
    // Components are named (this build made the proof) and match what prove reported.
    const sizes = Object.fromEntries(
      j.components
        .filter((c: { logSize: number | null }) => c.logSize !== null)
        .map((c: { name: string; logSize: number }) => [c.name, c.logSize]),
    );
    expect(sizes).toEqual(JSON.parse(proved.out).components);
    // The claim's program commitment is the one inspect computes from the ELF.
    const elf = await nexus(['inspect', fib, '--json']);
    expect(j.programCommitment).toBe(JSON.parse(elf.out).programCommitment);
  });

  it('a malformed proof file is exit 1, an unknown file kind 126', async () => {
    const truncated = writeIn(dir, 'cut.proof', proofBytes.slice(0, 200));
    const junk = writeIn(dir, 'junk.bin', 'not a proof, not an ELF');
    const [a, b] = await Promise.all([nexus(['inspect', truncated]), nexus(['inspect', junk])]);
    expect(a.code).toBe(EXIT.INVALID);
    expect(a.stderr).toMatch(/not a valid proof file: .*truncated|not a valid proof file/);
    expectOneLine(a.stderr);
    expect(b.code).toBe(EXIT.BAD_ELF);
    expect(b.stderr).toMatch(/neither an ELF nor a Nexus proof file/);
  });
});
