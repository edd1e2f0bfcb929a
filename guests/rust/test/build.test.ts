/**
 * The build script: a clear message naming the packages to install when the toolchain is
 * missing (checked with stand-in compilers, so it runs everywhere), and, when Debian's Rust
 * toolchain is installed, a rebuild of every guest that must equal the committed ELFs byte for
 * byte (the ELFs are what the other tests run, so their sources must not drift from them).
 */
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createZkvm } from '@nexus/sdk';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildScript,
  elfPath,
  GUESTS,
  hasRustToolchain,
  pkg,
  run,
  warnMissing,
} from './support.js';

const scratch = mkdtempSync(join(tmpdir(), 'nexus-rust-build-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A stand-in `rustc` that answers the build script's probes from a fake sysroot. */
function fakeRustc(withLibrary: boolean): string {
  const dir = mkdtempSync(join(scratch, 'rustc-'));
  const sysroot = join(dir, 'sysroot');
  if (withLibrary) {
    for (const lib of ['core', 'alloc']) {
      mkdirSync(join(sysroot, 'lib/rustlib/src/rust/library', lib, 'src'), { recursive: true });
      writeFileSync(join(sysroot, 'lib/rustlib/src/rust/library', lib, 'src/lib.rs'), '');
    }
  }
  const rustc = join(dir, 'rustc');
  writeFileSync(
    rustc,
    `#!/bin/sh
case "$*" in
  "--print sysroot") echo "${sysroot}" ;;
  "--print target-list") echo riscv32im-unknown-none-elf ;;
  *) echo "fake rustc: unexpected $*" >&2; exit 1 ;;
esac
`,
  );
  chmodSync(rustc, 0o755);
  return rustc;
}

describe('build.sh without the toolchain', () => {
  it('names the packages when rustc is missing', async () => {
    const r = await run(buildScript, [], {
      env: { ...process.env, RUSTC: join(scratch, 'no-such-rustc') },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /no Rust compiler at .*no-such-rustc: .*apt-get install -y rustc rust-src/,
    );
  });

  it('names rust-src when the library sources are missing', async () => {
    const r = await run(buildScript, [], { env: { ...process.env, RUSTC: fakeRustc(false) } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /the Rust library sources are missing .*: apt-get install -y rust-src/,
    );
  });

  it('names the RISC-V GCC packages when the C toolchain is missing', async () => {
    const r = await run(buildScript, [], {
      env: { ...process.env, RUSTC: fakeRustc(true), CC: join(scratch, 'no-such-gcc') },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /no-such-gcc not found: apt-get install -y gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf/,
    );
  });

  it('rejects bad guest names and sizes before it looks for a toolchain', async () => {
    const env = { ...process.env, RUSTC: join(scratch, 'no-such-rustc') };
    const bad = await run(buildScript, ['Nope'], { env });
    expect(bad.stderr).toMatch(/bad guest name 'Nope': use lowercase letters, digits and _/);
    expect(bad.code).toBe(1);
    const missing = await run(buildScript, ['fib', 'nope'], { env });
    expect(missing.stderr).toMatch(
      /no guest 'nope': expected src\/nope\.rs or src\/nope\/main\.rs/,
    );
    expect(missing.code).toBe(1);
    const size = await run(buildScript, ['fib'], { env: { ...env, HEAP_SIZE: '1M' } });
    expect(size.stderr).toMatch(/HEAP_SIZE=1M is not a number of bytes/);
    expect(size.code).toBe(1);
  });
});

describe.skipIf(!hasRustToolchain)('build.sh with the toolchain', () => {
  it('rebuilds every guest byte for byte', async () => {
    const out = join(scratch, 'bin');
    const r = await run(buildScript, [], { env: { ...process.env, OUT: out } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const built = readdirSync(out).sort();
    expect(built).toEqual(GUESTS.map((g) => `${g}.elf`).sort());
    for (const g of GUESTS) {
      const fresh = readFileSync(join(out, `${g}.elf`));
      expect(
        fresh.equals(readFileSync(elfPath(g))),
        `${g}.elf differs from a fresh build: run pnpm --filter @nexus/guests-rust build:rust and commit bin/`,
      ).toBe(true);
    }
    expect(readdirSync(join(pkg, 'bin')).sort()).toEqual(built);
  });

  it('builds a guest kept elsewhere, given its path', async () => {
    const dir = mkdtempSync(join(scratch, 'project-'));
    mkdirSync(join(dir, 'src', 'hello'), { recursive: true });
    writeFileSync(
      join(dir, 'src', 'hello', 'main.rs'),
      '#![no_std]\nzkvm::entry!(main);\nfn main() {\n    zkvm::commit(b"hi");\n    panic!("from {}", "elsewhere");\n}\n',
    );
    // The path and OUT are relative to the current directory, as a user would type them.
    const r = await run(buildScript, ['src/hello/main.rs'], {
      cwd: dir,
      env: { ...process.env, OUT: 'out' },
    });
    expect(r.code).toBe(0);
    const program = new Uint8Array(readFileSync(join(dir, 'out', 'hello.elf')));
    const result = createZkvm().run(program);
    expect(new TextDecoder().decode(result.publicOutput)).toBe('hi');
    expect(result.exitCode).toBe(101);
    // The guest's directory is remapped: the message does not name the temporary directory.
    expect(new TextDecoder().decode(result.log)).toBe(
      "guest panicked at 'from elsewhere', src/hello/main.rs:5:5\n",
    );
  });
});
if (!hasRustToolchain) {
  warnMissing(
    'the Rust toolchain (/usr/bin/rustc with its library sources, riscv64-unknown-elf-gcc)',
    'apt-get install -y rustc rust-src gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf',
  );
}
