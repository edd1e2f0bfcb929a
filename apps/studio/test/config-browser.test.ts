/**
 * `nexus debug --config`: a guest of a third-party plugin (the example precompile popcount256,
 * examples/precompile-popcount) in Chromium. Stepping runs its calls, the constraint view shows
 * its component's rows and labelled constraints and a broken cell in it, all with the config's
 * plugins, which only the nexus debug process has loaded. Skipped without Chromium, like
 * browser.test.ts.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createZkvm, type PluginInput } from '@nexus/sdk';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POPCOUNT_ELF, popcountConfig } from './popcount-plugin.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const nexusBin = join(root, 'apps', 'cli', 'bin', 'nexus.js');
const explicit = process.env.CHROMIUM_PATH;
const executablePath =
  explicit !== undefined && explicit !== ''
    ? existsSync(explicit)
      ? explicit
      : undefined
    : ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const shots = fileURLToPath(new URL('../screenshots/', import.meta.url));
const hex32 = (v: number) => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

describe.skipIf(executablePath === undefined)('nexus debug --config in Chromium', () => {
  let config: string;
  let server: ChildProcess;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    config = popcountConfig();
    // As a user types it, from the repository root: the page shows the config as given.
    server = spawn(
      process.execPath,
      [nexusBin, 'debug', POPCOUNT_ELF, '--config', relative(root, config), '--port', '0'],
      { cwd: root },
    );
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout!.on('data', (d) => {
        out += d;
        const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
        if (m) resolve(m[0]);
      });
      server.on('close', (c) => reject(new Error(`nexus debug exited ${c}`)));
    });
    browser = await chromium.launch({ executablePath: executablePath!, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.locator('#debugger').waitFor({ state: 'visible' });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    server?.kill('SIGINT');
  }, 30_000);

  it('says which build it runs: the config, its plugins, its system digest', async () => {
    const { default: cfg } = (await import(pathToFileURL(config).href)) as {
      default: { plugins: PluginInput };
    };
    // The digest `nexus prove --config` binds its proofs to (the same createZkvm of the plugins).
    const digest = Buffer.from(createZkvm({ plugins: cfg.plugins }).system.digest).toString('hex');
    expect(await page.textContent('#build-digest')).toBe(digest.slice(0, 16));
    expect(await page.getAttribute('#build-info', 'data-plugins')).toMatch(
      /@nexus\/air-add .*@acme\/precompile-popcount/,
    );
    expect(await page.textContent('#build-info')).toContain(
      'build apps/studio/node_modules/.cache/precompile-popcount/nexus.config.mjs: 25 plugins',
    );
    expect(await page.textContent('#status')).toBe('cycle 0 of 17,031 (exit 0)');
    expect(errors).toEqual([]);
  });

  it('steps through a popcount256 call and shows its component row, constraints and a broken cell', async () => {
    const calls = execFileSync(process.execPath, [
      nexusBin,
      'trace',
      POPCOUNT_ELF,
      '--config',
      config,
      '--from',
      '15000',
      '--to',
      '15100',
      '--json',
    ])
      .toString()
      .split('\n')
      .filter((l) => l.includes('"name":"popcount256"'))
      .map((l) => JSON.parse(l) as { clk: number; pc: number; syscall: { args: number[] } });
    expect(calls.length).toBeGreaterThan(1);
    const call = calls[1]!;
    await page.fill('#cycle-input', String(call.clk));
    await page.click('#go');
    await expect.poll(() => page.inputValue('#cycle-input')).toBe(String(call.clk));
    expect(await page.getAttribute('#where', 'data-pc')).toBe(hex32(call.pc));
    // The call ran in the page: a0 := 0, and the result word it wrote is the popcount of the
    // 8 input words (read from the page's memory view).
    expect(await page.textContent('#reg-10')).toBe(hex32(0));
    const [out, input] = call.syscall.args as [number, number];
    const word = async (address: number) => {
      await page.fill('#mem-address', hex32(address));
      await page.click('#mem-go');
      return Number.parseInt(
        (await page.textContent(`#memory td[data-address="${hex32(address)}"]`))!,
        16,
      );
    };
    let bits = 0;
    for (let k = 0; k < 8; k++) {
      let v = (await word(input + 4 * k)) >>> 0;
      for (; v !== 0; v >>>= 1) bits += v & 1;
    }
    expect(await word(out)).toBe(bits);

    // The constraint view, built and checked by nexus debug with the config's plugins.
    await page.click('#constraints summary');
    await expect
      .poll(() => page.textContent('#check-scope'), { timeout: 60_000 })
      .toMatch(
        /^checked cycles 1\.\.17,031 \(the whole run\): .* every constraint holds; every bus balances\.$/,
      );
    const row = page.locator('#cycle-rows button[data-component="popcount256"]');
    expect(await row.getAttribute('data-cycle')).toBe(String(call.clk));
    await row.click();
    await expect
      .poll(() => page.textContent('#row-title'))
      .toBe(`popcount256 row 1, cycle ${call.clk.toLocaleString('en')}: 320 columns`);
    expect(
      await page.textContent(
        '#row-constraints tr[data-label="count = the number of set bits"] td.value',
      ),
    ).toBe('0');
    expect(Number(await page.textContent('#row-columns td[data-column="count_lo"]'))).toBe(
      bits & 255,
    );

    // A broken cell in the plugin's component: its own constraint fails, by label.
    await page.click('#row-columns td[data-column="count_lo"]');
    expect(await page.inputValue('#break-cell')).toBe('popcount256.count_lo@1');
    await page.fill('#break-value', '+1');
    await page.click('#break-apply');
    await expect
      .poll(() => page.locator('#check-failures li.failure').first().textContent(), {
        timeout: 30_000,
      })
      .toBe(
        `popcount256 row 1, cycle ${call.clk.toLocaleString('en')} count = the number of set bits = 1`,
      );
    expect(await page.textContent('#check-scope')).toMatch(
      /failing constraint\(s\); \d+ unbalanced bus tuple\(s\)/,
    );
    // The README's picture of it (NEXUS_SCREENSHOTS=1 retakes it, as browser.test.ts's).
    if (process.env.NEXUS_SCREENSHOTS === '1') {
      // The header (the build) and the panel's top: the failure, the tuples, the row's start.
      const box = (await page.locator('#constraints-panel').boundingBox())!;
      await page.screenshot({
        path: join(shots, 'config-header.png'),
        fullPage: true,
        clip: { x: 0, y: 0, width: 1500, height: 64 },
      });
      await page.screenshot({
        path: join(shots, 'config.png'),
        fullPage: true,
        clip: { x: 0, y: box.y, width: 1500, height: 560 },
      });
    }

    // Proving in the page is the default build's: it says so rather than make a proof that
    // `nexus verify --config` would refuse.
    await page.click('#prove');
    expect(await page.textContent('#prove-status')).toMatch(
      /^proving in the page uses the default build, not .*nexus\.config\.mjs's \(system digest [0-9a-f]{16}…\): prove this guest with nexus prove --config /,
    );
    expect(errors).toEqual([]);
  }, 120_000);

  it("adds up a long run's buses window by window (sort, default build, in the worker)", async () => {
    await page.selectOption('#example', 'sort');
    await expect.poll(() => page.textContent('#guest-name')).toBe('sort.elf');
    expect(await page.textContent('#build-info')).toBe(
      'default build (as nexus prove without a config)',
    );
    await page.fill('#cycle-input', '150000');
    await page.click('#go');
    await expect
      .poll(() => page.textContent('#check-scope'), { timeout: 60_000 })
      .toMatch(/\(window 5 of 8: .*bus balance not checked: a window is a segment/);
    await page.click('#run-buses-check');
    await expect
      .poll(() => page.textContent('#run-buses-status'), { timeout: 90_000 })
      .toBe(
        "the run's buses, added up over its 8 windows and the statement (the check of a segmented proof's LogUp sum): every bus balances",
      );
    expect(await page.locator('#run-buses-list li').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 120_000);
});
