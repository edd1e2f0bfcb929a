/**
 * The studio in a real browser: Debian's Chromium driven by playwright-core (no browser
 * download). The page is served by `nexus debug`, and what it shows is checked against
 * `nexus trace --json` for the same cycles. The screenshots in the README come from this run
 * (NEXUS_SCREENSHOTS=1 retakes them).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Test-only helpers of the VM package (as the CLI's tests use them): a faulting guest.
import { Asm, Reg } from '../../../packages/vm/test/support/asm.js';
import { programElf } from '../../../packages/vm/test/support/elf-writer.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const nexusBin = join(root, 'apps', 'cli', 'bin', 'nexus.js');
const sortElf = join(root, 'guests', 'bin', 'sort.elf');
const fibElf = join(root, 'guests', 'bin', 'fib.elf');
const sha256Elf = join(root, 'guests', 'bin', 'sha256-precompile.elf');
const shots = fileURLToPath(new URL('../screenshots/', import.meta.url));
/**
 * The README's screenshots are retaken only when asked (NEXUS_SCREENSHOTS=1), so a test run
 * leaves the committed images alone.
 */
async function screenshot(
  page: { screenshot(o: { path: string }): Promise<unknown> },
  name: string,
) {
  if (process.env.NEXUS_SCREENSHOTS === '1') await page.screenshot({ path: join(shots, name) });
}

/**
 * The system Chromium: CHROMIUM_PATH when set (set to a missing path, it turns these tests off),
 * else Debian's. Undefined when there is none.
 */
function findChromium(): string | undefined {
  const explicit = process.env.CHROMIUM_PATH;
  if (explicit !== undefined && explicit !== '') return existsSync(explicit) ? explicit : undefined;
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
}

const executablePath = findChromium();
if (executablePath === undefined)
  console.warn(
    `\n*** studio browser tests SKIPPED: no Chromium at ${process.env.CHROMIUM_PATH || '/usr/bin/chromium'} (apt-get install chromium, or set CHROMIUM_PATH) ***\n`,
  );

interface TraceLine {
  clk: number;
  pc: number;
  asm: string;
  function: string;
  writes: { reg: number; name: string; value: number }[];
  memory: { kind: string; address: number; wordBefore: number; wordAfter: number }[];
  syscall?: { name: string; args: number[] };
  source?: { file: string; line: number; column: number };
}

/** `nexus trace ELF --from A --to B --json [...more]`, its cycle lines. */
function trace(elf: string, from: number, to: number, ...more: string[]): TraceLine[] {
  const out = execFileSync(
    process.execPath,
    [nexusBin, 'trace', elf, '--from', String(from), '--to', String(to), '--json', ...more],
    { maxBuffer: 1 << 28 },
  ).toString();
  return out
    .split('\n')
    .filter((l) => l.startsWith('{"clk"'))
    .map((l) => JSON.parse(l) as TraceLine);
}

/** `riscv64-unknown-elf-addr2line -e ELF PC`: [file, line] as binutils reads the DWARF. */
function addr2line(elf: string, pc: number): [string, string] {
  const out = execFileSync('riscv64-unknown-elf-addr2line', ['-e', elf, hex32(pc)]).toString();
  const m = /^(.+):(\d+)(?: \(discriminator \d+\))?\n$/.exec(out);
  if (m === null) throw new Error(`addr2line has no line for ${hex32(pc)}: ${out}`);
  return [m[1]!, m[2]!];
}
const hasAddr2line = (() => {
  try {
    execFileSync('riscv64-unknown-elf-addr2line', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    console.warn(
      '\n*** studio source-line test SKIPPED: no riscv64-unknown-elf-addr2line (apt-get install binutils-riscv64-unknown-elf) ***\n',
    );
    return false;
  }
})();

const hex32 = (v: number) => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

describe.skipIf(executablePath === undefined)('Nexus Studio in Chromium', () => {
  let server: ChildProcess;
  let url: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(join(root, 'apps', 'cli', 'dist', 'studio', 'index.html')))
      throw new Error('the CLI has no built studio: run `pnpm build` first');
    server = spawn(process.execPath, [nexusBin, 'debug', sortElf, '--port', '0']);
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout!.on('data', (d) => {
        out += d;
        const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
        if (m) resolve(m[0]);
      });
      server.on('close', (c) => reject(new Error(`nexus debug exited ${c}`)));
    });
    browser = await chromium.launch({
      executablePath: executablePath!,
      // Root in a container has no user namespaces for Chromium's sandbox.
      args: ['--no-sandbox'],
    });
    page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.locator('#debugger').waitFor({ state: 'visible' });
    expect(errors).toEqual([]);
    mkdirSync(shots, { recursive: true });
    // Starting Chromium and the server takes seconds on a busy 2-core machine.
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    server?.kill('SIGINT');
  }, 30_000);

  async function goTo(cycle: number): Promise<void> {
    await page.fill('#cycle-input', String(cycle));
    await page.click('#go');
    await expect.poll(() => page.inputValue('#cycle-input')).toBe(String(cycle));
  }

  it('shows pc, registers and memory at a cycle as nexus trace does', async () => {
    // A load past the first checkpoint (100,000 cycles): it writes a register and reads a word.
    const lines = trace(sortElf, 150_000, 150_200);
    const load = lines.find(
      (l) =>
        l.clk > 150_000 &&
        l.memory[0]?.kind === 'load' &&
        l.writes.length === 1 &&
        l.writes[0]!.reg !== 0,
    )!;
    expect(load).toBeDefined();
    await goTo(load.clk);
    expect(await page.getAttribute('#where', 'data-pc')).toBe(hex32(load.pc));
    const w = load.writes[0]!;
    expect(await page.textContent(`#reg-${w.reg}`)).toBe(hex32(w.value));
    expect(await page.getAttribute(`#reg-${w.reg}`, 'class')).toBe('changed');
    const word = (load.memory[0]!.address & ~3) >>> 0;
    await page.fill('#mem-address', hex32(word));
    await page.click('#mem-go');
    expect(await page.textContent(`#memory td[data-address="${hex32(word)}"]`)).toBe(
      (load.memory[0]!.wordAfter >>> 0).toString(16).padStart(8, '0'),
    );
    expect(new URL(page.url()).hash).toBe(`#cycle=${load.clk}&mem=${hex32(word)}`);
    await screenshot(page, 'debugger.png');

    // Back one cycle and forward again: the pc of the trace's previous line, then this one.
    const previous = lines.find((l) => l.clk === load.clk - 1)!;
    await page.click('#step-back');
    await expect.poll(() => page.getAttribute('#where', 'data-pc')).toBe(hex32(previous.pc));
    await page.click('#step-forward');
    await expect.poll(() => page.getAttribute('#where', 'data-pc')).toBe(hex32(load.pc));
  });

  it('checks the constraints of a long run one window at a time, in a worker', async () => {
    // Where the test before stopped: sort (248,759 cycles) at a load past cycle 150,000.
    const cycle = Number(await page.inputValue('#cycle-input'));
    await page.click('#constraints summary');
    await expect
      .poll(() => page.textContent('#check-scope'), { timeout: 30_000 })
      .toMatch(
        /^checked cycles 131,073\.\.163,840 \(window 5 of 8: the run is built 32,768 cycles at a time\): .* every constraint holds; bus balance not checked: a window is a segment/,
      );
    const load = page.locator('#cycle-rows button[data-component="load"]');
    expect(await load.getAttribute('data-cycle')).toBe(String(cycle));
    expect(hex32(Number(await page.textContent('#row-columns td[data-column="pc"]')))).toBe(
      await page.getAttribute('#where', 'data-pc'),
    );
    // Stepping inside the window needs no new build: the row follows the cycle.
    await page.click('#step-forward');
    await expect
      .poll(() => page.getAttribute('#cycle-rows button', 'data-cycle'))
      .toBe(String(cycle + 1));

    // A cell broken in this window: its rows are named in the link with the window.
    const row = await page.getAttribute('#cycle-rows button', 'data-row');
    const component = await page.getAttribute('#cycle-rows button', 'data-component');
    await page.click('#row-columns td[data-column="clk"]');
    expect(await page.inputValue('#break-cell')).toBe(`${component}.clk@${row}`);
    expect(await page.inputValue('#break-value')).toBe('+1');
    await page.click('#break-apply');
    await expect
      .poll(() => page.locator('#check-failures li.failure').count(), { timeout: 30_000 })
      .toBeGreaterThan(0);
    // The tuples the broken clk unbalances against the window as built (its timestamps).
    expect(await page.textContent('#check-imbalances h3')).toBe(
      'Bus entries the broken cells unbalance (net: with the edits minus as built)',
    );
    expect(await page.locator('#check-imbalances li.imbalance').count()).toBeGreaterThan(0);
    expect(await page.textContent('#check-scope')).toMatch(
      /buses against the window as built: the broken cells unbalance \d+ tuple\(s\)/,
    );
    expect(new URL(page.url()).hash).toMatch(
      new RegExp(`&break=${component}\\.clk@${row}=${cycle + 2}&window=5$`),
    );
    await page.click('#break-clear');
    await expect
      .poll(() => page.textContent('#check-scope'))
      .toMatch(/every constraint holds; bus balance not checked/);
    await page.click('#constraints summary');
  });

  it('runs to a breakpoint on a symbol', async () => {
    const early = trace(sortElf, 1, 3000);
    const firstInMain = early.find((l) => l.function === 'main')!;
    expect(firstInMain).toBeDefined();
    await goTo(0);
    await page.fill('#bp-input', 'main');
    await page.click('#bp-add');
    await expect.poll(() => page.textContent('#bp-list')).toContain('main');
    await page.click('#run-to-bp');
    await expect.poll(() => page.inputValue('#cycle-input')).toBe(String(firstInMain.clk));
    expect(await page.getAttribute('#where', 'data-pc')).toBe(hex32(firstInMain.pc));
    expect(await page.textContent('#where')).toContain('main');
    expect(new URL(page.url()).hash).toContain('bp=main');
    await screenshot(page, 'breakpoint.png');
  });

  it('goes to the next and the previous write of a watched register', async () => {
    // Where the breakpoint test stopped: main's first instruction.
    const at = Number(await page.inputValue('#cycle-input'));
    const writes = trace(sortElf, 1, at + 5000)
      .filter((l) => l.writes.some((w) => w.reg === 10))
      .map((l) => l.clk);
    const next = writes.find((c) => c > at)!;
    const previous = writes.filter((c) => c < next).at(-1)!;
    await page.click('#reg-10');
    expect(await page.textContent('#watch-label')).toBe('a0');
    await page.click('#next-write');
    await expect.poll(() => page.inputValue('#cycle-input')).toBe(String(next));
    expect(await page.getAttribute('#reg-10', 'class')).toContain('changed');
    await page.click('#prev-write');
    await expect.poll(() => page.inputValue('#cycle-input')).toBe(String(previous));
  });

  it('says clearly when a file is not an ELF', async () => {
    await page.setInputFiles('#elf-file', {
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('this is not an executable'),
    });
    await expect.poll(() => page.textContent('#error')).toMatch(/notes\.txt is not an RV32IM/);
    expect(await page.isVisible('#error')).toBe(true);
  });

  it('opens a faulting guest up to the fault and names the fault', async () => {
    // li t0, 0x40002; lw a0, 0(t0): a misaligned load.
    const elf = programElf(new Asm().li(Reg.t0, 0x40002).load('lw', Reg.a0, Reg.t0, 0).bytes());
    await page.setInputFiles('#elf-file', {
      name: 'faulty.elf',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from(elf),
    });
    await expect
      .poll(() => page.textContent('#error'))
      .toMatch(
        /^faulty\.elf faults at cycle 3: MisalignedAccessError: misaligned 4-byte load at 0x00040002/,
      );
    await expect.poll(() => page.textContent('#status')).toMatch(/\(faults at \d+\)/);
    expect(await page.textContent('#source-lines')).toBe(
      'C source lines: none (built without -g: no source lines)',
    );
    expect(await page.isVisible('#source-panel')).toBe(false);
  });

  it('opens a bundled example from the static build', async () => {
    await page.selectOption('#example', 'fib');
    await expect.poll(() => page.textContent('#guest-name')).toBe('fib.elf');
    // Breakpoints belong to the guest they were set in.
    expect(await page.textContent('#bp-list')).toBe('');
    await expect.poll(() => page.textContent('#status')).toMatch(/cycle 0 of 3,\d{3} \(exit 0\)/);
    await page.fill('#cycle-input', '99999999');
    await page.click('#go');
    // Clamped to the last cycle: the exit ecall, after the log line was written.
    await expect.poll(() => page.textContent('#log')).toContain('fib(50) mod 2^64 = 12586269025');
    expect(new URL(page.url()).hash).toMatch(/^#guest=fib&cycle=\d+$/);
  });

  it('proves the opened guest in a Web Worker; nexus verify accepts the downloaded proof', async () => {
    // The page still has the fib example open (the test before).
    await page.click('#prove');
    await expect
      .poll(() => page.textContent('#prove-status'), { timeout: 90_000, interval: 250 })
      .toMatch(/^proved 3,\d{3} cycles \(exit 0\) in .* verified in/);
    await screenshot(page, 'proved.png');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('#proof-download'),
    ]);
    expect(download.suggestedFilename()).toBe('fib.elf.proof');
    const dir = mkdtempSync(join(tmpdir(), 'studio-proof-'));
    try {
      const proof = join(dir, 'fib.elf.proof');
      await download.saveAs(proof);
      const out = execFileSync(process.execPath, [nexusBin, 'verify', proof, '--elf', fibElf]);
      expect(out.toString()).toMatch(/valid|verified/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('verifies a proof file made by nexus prove, and rejects a tampered one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'studio-proof-'));
    try {
      const proof = join(dir, 'cli.proof');
      execFileSync(process.execPath, [nexusBin, 'prove', fibElf, '-o', proof]);
      await page.setInputFiles('#verify-file', proof);
      await expect
        .poll(() => page.textContent('#prove-status'), { timeout: 30_000 })
        .toMatch(
          /^cli\.proof is a valid proof for fib\.elf: exit 0, public input 0 bytes, output 8 bytes/,
        );
      const bytes = readFileSync(proof);
      bytes[bytes.length - 100]! ^= 1;
      await page.setInputFiles('#verify-file', {
        name: 'tampered.proof',
        mimeType: 'application/octet-stream',
        buffer: bytes,
      });
      await expect
        .poll(() => page.textContent('#prove-status'), { timeout: 30_000 })
        .toMatch(/^tampered\.proof does not verify for fib\.elf: ./);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows the row proving a cycle: its columns match the registers, its constraints are 0', async () => {
    // The page has the fib example open (the tests before). An add (register form) that writes
    // a register: its row's result bytes are the register's new value.
    const add = trace(fibElf, 1, 1000).find(
      (l) => /^add [a-z0-9]+, [a-z0-9]+, [a-z0-9]+$/.test(l.asm) && l.writes.length === 1,
    )!;
    expect(add).toBeDefined();
    await goTo(add.clk);
    // Closed by the long-run test; the faulting guest between had nothing to check.
    await page.click('#constraints summary');
    await expect
      .poll(() => page.textContent('#check-scope'), { timeout: 30_000 })
      .toMatch(
        /^checked cycles 1\.\.3,\d{3} \(the whole run\): .* every constraint holds; every bus balances\.$/,
      );
    expect(await page.textContent('#check-failures')).toBe('');
    const proving = page.locator('#cycle-rows button[data-component="add"]');
    expect(await proving.getAttribute('data-cycle')).toBe(String(add.clk));
    const cell = async (column: string) =>
      Number(await page.textContent(`#row-columns td[data-column="${column}"]`));
    expect(await cell('clk')).toBe(add.clk);
    expect(await cell('pc')).toBe(add.pc);
    const w = add.writes[0]!;
    expect(await cell('rd')).toBe(w.reg);
    const result =
      (await cell('r0')) +
      256 * (await cell('r1')) +
      65536 * (await cell('r2')) +
      2 ** 24 * (await cell('r3'));
    expect(hex32(result)).toBe(hex32(w.value));
    expect(await page.textContent(`#reg-${w.reg}`)).toBe(hex32(w.value));
    expect(
      await page.textContent('#row-constraints tr[data-label="byte 0 of the sum"] td.value'),
    ).toBe('0');
    expect(await page.locator('#row-constraints tr.failing').count()).toBe(0);
    expect(new URL(page.url()).hash).toContain('constraints=1');
    // fib.elf is built with -g: the page reads its line table (the source panel's own test below).
    expect(await page.textContent('#source-lines')).toMatch(
      /^C source lines: from the ELF's DWARF line info \(\d+ files\)$/,
    );
    await screenshot(page.locator('#constraints-panel'), 'constraints.png');
  });

  it('loads a broken trace and lists the failing constraint and the unbalanced bus entries', async () => {
    await page.click('#broken-example');
    const failure = page.locator('#check-failures li.failure').first();
    await expect
      .poll(() => failure.textContent(), { timeout: 30_000 })
      .toMatch(/^add row 7, cycle \d+ byte 0 of the sum = 2147483646 \(= -1\)$/);
    const cycle = Number(await failure.locator('button').getAttribute('data-cycle'));
    // The page went to the failing row's cycle and shows that row, the broken cell marked.
    await expect.poll(() => page.inputValue('#cycle-input')).toBe(String(cycle));
    expect(await page.textContent('#row-title')).toBe(`add row 7, cycle ${cycle}: 43 columns`);
    expect(await page.textContent('#row-columns td.broken')).toMatch(/^\d+$/);
    expect(await page.getAttribute('#row-columns td.broken', 'data-column')).toBe('r0');
    expect(
      await page.textContent(
        '#row-constraints tr.failing[data-label="byte 0 of the sum"] td.value',
      ),
    ).toBe('2147483646 (= -1)');
    // The written register's tuple no longer matches the one its next reader consumes.
    const imbalances = await page.locator('#check-imbalances li.imbalance').allTextContents();
    expect(imbalances.some((t) => /^reg \(.*\): net -1 .* add row 7, cycle /.test(t))).toBe(true);
    expect(imbalances.some((t) => /^reg \(.*\): net \+1 /.test(t))).toBe(true);
    expect(await page.textContent('#check-scope')).toMatch(
      /1 failing constraint\(s\); \d+ unbalanced bus tuple\(s\)/,
    );
    expect(new URL(page.url()).hash).toMatch(/&break=add\.r0@7=\d+/);
    const brokenHash = new URL(page.url()).hash;
    await screenshot(page.locator('#constraints-panel'), 'broken.png');

    // Jumping from an unbalanced entry to the row that consumes it: another cycle, another row.
    const reader = page
      .locator('#check-imbalances li', { hasText: /net \+1/ })
      .filter({ hasText: /^reg/ })
      .locator('button')
      .first();
    const readerCycle = await reader.getAttribute('data-cycle');
    await reader.click();
    await expect.poll(() => page.inputValue('#cycle-input')).toBe(readerCycle);

    // A cell that is not one is refused, with the reason.
    await page.fill('#break-cell', 'add.zz@7');
    await page.fill('#break-value', '+1');
    await page.click('#break-apply');
    await expect
      .poll(() => page.textContent('#check-status'))
      .toBe('component add has no column zz');
    await page.fill('#break-cell', 'add r0 7');
    await page.click('#break-apply');
    await expect
      .poll(() => page.textContent('#check-status'))
      .toMatch(/^'add r0 7' is not a cell: write component\.column@row, e\.g\. add\.r0@7$/);

    // Repaired: the honest trace again.
    await page.click('#break-clear');
    await expect
      .poll(() => page.textContent('#check-scope'))
      .toMatch(/every constraint holds; every bus balances/);
    expect(new URL(page.url()).hash).not.toContain('break=');

    // The link keeps the broken trace: pasting it back breaks the same cell again.
    await page.evaluate((h) => {
      location.hash = h;
    }, brokenHash);
    await expect
      .poll(() => page.textContent('#check-failures li.failure'))
      .toMatch(/^add row 7, cycle \d+ byte 0 of the sum = 2147483646 \(= -1\)$/);
    await expect.poll(() => page.inputValue('#cycle-input')).toBe(String(cycle));
    await page.click('#break-clear');
    await expect
      .poll(() => page.textContent('#check-scope'))
      .toMatch(/every constraint holds; every bus balances/);
  });

  it('cancels proving', async () => {
    // sort (a few hundred thousand cycles) proves for seconds: fib finished before a click on
    // cancel could land, on a quiet machine.
    await page.selectOption('#example', 'sort');
    await expect.poll(() => page.textContent('#guest-name')).toBe('sort.elf');
    await expect.poll(() => page.textContent('#status')).toMatch(/\(exit 0\)$/);
    await page.click('#prove');
    await page.locator('#prove-cancel').waitFor({ state: 'visible' });
    await page.click('#prove-cancel');
    await expect.poll(() => page.textContent('#prove-status')).toBe('cancelled');
    expect(await page.isVisible('#proof-download')).toBe(false);
    expect(await page.isVisible('#prove')).toBe(true);
  });

  it('splits a long proof over Web Workers: the same bytes as nexus prove', async () => {
    // sort is open (the test before). 2^16 cycles or more, in a cross-origin isolated page
    // (nexus debug sends the headers): the prover's Web Worker starts a pool of Web Workers.
    await page.click('#prove');
    await expect
      .poll(() => page.textContent('#prove-status'), { timeout: 240_000, interval: 500 })
      .toMatch(/^proved [\d,]+ cycles \(exit 0\) in .* on [2-4] threads; .* verified in/);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('#proof-download'),
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'studio-pool-'));
    try {
      const inPage = join(dir, 'page.proof');
      await download.saveAs(inPage);
      const cli = join(dir, 'cli.proof');
      execFileSync(process.execPath, [nexusBin, 'prove', sortElf, '-o', cli, '--workers', '1']);
      expect(readFileSync(inPage).equals(readFileSync(cli))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);

  it('opens and steps a guest that calls the SHA-256 precompile; its call is proven by its rows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'studio-sha-'));
    let call: TraceLine;
    try {
      const input = join(dir, 'abc.bin');
      writeFileSync(input, 'abc');
      call = trace(sha256Elf, 1, 5000, '--public-input', input).find(
        (l) => l.syscall?.name === 'sha256_compress',
      )!;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(call).toBeDefined();
    await page.selectOption('#example', 'sha256');
    await expect.poll(() => page.textContent('#guest-name')).toBe('sha256.elf');
    await expect.poll(() => page.textContent('#status')).toMatch(/^cycle 0 of 1,\d{3} \(exit 0\)$/);
    expect(await page.isVisible('#error')).toBe(false);
    await goTo(call.clk);
    expect(await page.getAttribute('#where', 'data-pc')).toBe(hex32(call.pc));
    expect(await page.textContent('#where')).toContain('nexus_sha256_compress');
    // The constraint view is still open (the tests before): the call's rows, its own and rounds.
    await expect
      .poll(() => page.locator('#cycle-rows button[data-component="sha256"]').count(), {
        timeout: 30_000,
      })
      .toBe(1);
    expect(await page.textContent('#cycle-rows')).toMatch(/and \d+ more sha256-rounds rows/);
    await page.fill('#cycle-input', '99999');
    await page.click('#go');
    await expect
      .poll(() => page.textContent('#tape-output'))
      .toContain(createHash('sha256').update('abc').digest('hex').match(/../g)!.join(' '));
  });

  it.skipIf(!hasAddr2line)(
    'marks the C source line of a cycle as addr2line gives it, from the files nexus debug serves',
    async () => {
      // The guest nexus debug serves (sort, built with -g), opened again.
      await page.goto(url);
      await page.locator('#debugger').waitFor({ state: 'visible' });
      // The status is written once the line table has loaded, which may be after #debugger
      // shows (a race seen under load).
      await expect
        .poll(() => page.textContent('#source-lines'))
        .toMatch(/^C source lines: from the ELF's DWARF line info \(\d+ files\)$/);
      const cycles = trace(sortElf, 1, 3000);
      const firstIn = (fn: string) =>
        cycles.find((l) => l.function === fn || l.function.startsWith(`${fn}+`))!;
      // A function of sort.c and one of the runtime (addr2line 2.40 answers ??:? inside main).
      for (const fn of ['read_u32', 'zkvm_read_public']) {
        const cycle = firstIn(fn);
        await goTo(cycle.clk);
        const [file, line] = addr2line(sortElf, cycle.pc);
        await expect.poll(() => page.getAttribute('#source tr.current', 'data-line')).toBe(line);
        expect(await page.getAttribute('#source-where', 'data-file')).toBe(file);
        // The text is the file's, as nexus debug read it from guests/ (the ELF says ../c/sort.c).
        const text = readFileSync(join(root, 'guests', 'bin', file), 'utf8').split('\n');
        expect(await page.textContent('#source tr.current code')).toBe(text[Number(line) - 1]);
        if (fn === 'read_u32') await screenshot(page, 'source.png');
      }
      // A function of picolibc: its source is not on this machine, and the page says so.
      await goTo(firstIn('__libc_init_array').clk);
      await expect
        .poll(() => page.textContent('#source'))
        .toMatch(/init\.c is not available: nexus debug found no such file/);

      // A bundled example: its C file comes with the page. A cycle in fib's main, where
      // addr2line 2.40 has no answer: the line nexus trace gives (its reader is checked against
      // objdump --dwarf=decodedline in packages/vm), the text bundled from guests/c/fib.c.
      await page.selectOption('#example', 'fib');
      await expect.poll(() => page.textContent('#guest-name')).toBe('fib.elf');
      const inMain = trace(fibElf, 1, 200).find(
        (l) => l.function.startsWith('main+') && l.source?.file === '../c/fib.c',
      )!;
      await goTo(inMain.clk);
      const line = String(inMain.source!.line);
      await expect.poll(() => page.getAttribute('#source tr.current', 'data-line')).toBe(line);
      const fibC = readFileSync(join(root, 'guests', 'c', 'fib.c'), 'utf8').split('\n');
      expect(await page.textContent('#source tr.current code')).toBe(fibC[Number(line) - 1]);
    },
  );
});
