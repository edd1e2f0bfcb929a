import { type CodeRom, codeRomFor, ElfError, type ElfProgram, loadElf, VmError } from '@nexus/vm';
import { type Breakpoint, parseBreakpoint } from './breakpoint.js';
import { hex32 } from './format.js';
import { configBuild, type GuestFiles } from './guest-source.js';
import { PAGE_SYSCALLS } from './precompiles.js';
import { replayedExtensions } from './served-build.js';
import { DebugSession } from './session.js';
import { SourcePanel } from './source-panel.js';
import { type FunctionSymbol, functionAt, functionIndex, labelsByAddress } from './symbols.js';
import { renderBuildInfo } from './ui/build-info.js';
import { renderDisassembly } from './ui/disassembly.js';
import { byId, el } from './ui/dom.js';
import { MEMORY_COLUMNS, MEMORY_ROWS, renderMemory } from './ui/memory.js';
import { renderRegisters } from './ui/registers.js';
import { renderTapes } from './ui/tapes.js';
import { formatHash, type UrlState } from './url-state.js';
import { describeTarget, type WriteTarget } from './writes.js';

/** Cycles recorded between two frames, so that the page stays responsive while recording. */
const RECORD_SLICE = 2_000_000;

/** An opened guest and what is shown of it. */
interface Opened {
  readonly guest: GuestFiles;
  readonly program: ElfProgram;
  readonly session: DebugSession;
  readonly rom: CodeRom;
  readonly labels: ReadonlyMap<number, string>;
  readonly functions: readonly FunctionSymbol[];
}

/**
 * The debugger page: one opened guest, the cycle shown, the memory address, the breakpoints.
 * Every change goes through `show`, which renders the panels and writes the URL.
 */
export class Debugger {
  private opened: Opened | undefined;
  private cycle = 0;
  /** The memory view's address; undefined: it follows sp. */
  private memAddress: number | undefined;
  private breakpoints: Breakpoint[] = [];
  /** The register or memory word "previous/next write" looks for. */
  private watch: WriteTarget | undefined;
  /** Bumped by each open, so that a recording superseded by another open stops. */
  private generation = 0;
  private readonly source = new SourcePanel();

  /** Called after each cycle shown (the constraint panel follows it). */
  onShow: (cycle: number) => void = () => {};
  /** What other panels keep in the URL. */
  urlExtras: () => Partial<UrlState> = () => ({});

  /**
   * `onOpen` is called as a guest starts opening (what belonged to the previous one goes), with
   * the view it opens at.
   */
  constructor(private readonly onOpen: (view: UrlState) => void = () => {}) {}

  /** The cycle shown. */
  get shownCycle(): number {
    return this.cycle;
  }

  /** Shows a message the user can act on (bad input, a faulting guest); '' hides it. */
  message(text: string): void {
    const box = byId('error');
    box.textContent = text;
    box.hidden = text === '';
  }

  private status(text: string): void {
    byId('status').textContent = text;
  }

  /** Opens a guest: loads the ELF, records the run in slices, then shows `view`'s cycle. */
  async open(guest: GuestFiles, view: UrlState = {}): Promise<void> {
    const generation = ++this.generation;
    this.message('');
    let program: ElfProgram;
    let session: DebugSession;
    try {
      program = loadElf(guest.elf);
      session = new DebugSession(program, {
        publicInput: guest.publicInput,
        privateInput: guest.privateInput,
        // A config's build: its extensions, those the page lacks replayed from nexus debug's run.
        ...(configBuild(guest) !== undefined
          ? replayedExtensions(configBuild(guest)!, PAGE_SYSCALLS)
          : { syscalls: PAGE_SYSCALLS }),
      });
    } catch (e) {
      if (!(e instanceof VmError)) throw e;
      const what =
        e instanceof ElfError ? 'is not an RV32IM executable this VM runs' : 'cannot run';
      this.message(`${guest.name} ${what}: ${e.message}`);
      return;
    }
    this.opened = undefined;
    this.onOpen(view);
    byId('debugger').hidden = true;
    byId('welcome').hidden = false;
    byId('guest-name').textContent = guest.name;
    renderBuildInfo(guest);
    this.source.open(guest, guest.elf, program);
    while (!session.record(RECORD_SLICE)) {
      byId('welcome').textContent =
        `recording ${guest.name}: ${session.lastCycle.toLocaleString('en')} cycles…`;
      await new Promise((r) => setTimeout(r, 0));
      if (generation !== this.generation) return;
    }
    this.opened = {
      guest,
      program,
      session,
      rom: codeRomFor(program),
      labels: labelsByAddress(program),
      functions: functionIndex(program),
    };
    byId('welcome').hidden = true;
    byId('debugger').hidden = false;
    const end = session.end!;
    if (end.kind === 'fault') {
      const e = end.error;
      this.message(
        `${guest.name} faults at cycle ${e.clk.toLocaleString('en')}: ${e.name}: ${e.message}. The last cycle shown is the one before.`,
      );
    } else if (end.kind === 'limit') {
      this.message(
        `${guest.name} had not exited after ${end.maxCycles.toLocaleString('en')} cycles: the studio shows that far.`,
      );
    }
    this.watch = undefined;
    this.breakpoints = [];
    for (const text of view.breakpoints ?? []) this.addBreakpoint(text);
    this.renderBreakpoints();
    this.memAddress = view.mem;
    this.show(view.cycle ?? 0);
  }

  /** The opened guest's files (to reopen it with other input tapes). */
  get guest(): GuestFiles | undefined {
    return this.opened?.guest;
  }

  /** Shows cycle `cycle` (clamped to the run). */
  show(cycle: number): void {
    const o = this.opened;
    if (o === undefined) return;
    this.cycle = Math.max(0, Math.min(Math.trunc(cycle), o.session.lastCycle));
    // Following sp: the window starts at the 16-byte row holding sp, so the live frame is shown.
    const st = o.session.stateAt(
      this.cycle,
      this.memAddress ?? ((x) => (x[2]! & ~15) >>> 0),
      MEMORY_COLUMNS * MEMORY_ROWS,
    );
    const pcs = this.breakpointPcs();
    renderDisassembly(byId('disassembly'), o.rom, o.labels, st, pcs);
    renderRegisters(byId('registers'), st);
    renderMemory(byId('memory'), st);
    renderTapes(byId('tapes'), st, o.session.publicInput, o.session.privateInput);
    byId('log').textContent = new TextDecoder().decode(st.log);
    this.markWatch();
    const pc = st.executed?.pc;
    this.source.show(pc);
    byId('where').textContent =
      pc === undefined
        ? `entry ${hex32(st.nextPc)}`
        : `pc ${hex32(pc)} ${functionAt(o.functions, pc)}`.trimEnd();
    byId('where').dataset.pc = pc === undefined ? '' : hex32(pc);
    byId<HTMLInputElement>('cycle-input').value = String(this.cycle);
    byId<HTMLInputElement>('mem-address').value =
      this.memAddress === undefined ? '' : hex32(this.memAddress);
    const end = o.session.end!;
    const ending =
      end.kind === 'exit'
        ? `exit ${end.exitCode}`
        : end.kind === 'fault'
          ? `faults at ${end.error.clk}`
          : 'cut off';
    this.status(
      `cycle ${this.cycle.toLocaleString('en')} of ${o.session.lastCycle.toLocaleString('en')} (${ending})`,
    );
    this.writeUrl();
    this.onShow(this.cycle);
  }

  step(delta: number): void {
    this.show(this.cycle + delta);
  }

  /** Sets the memory view's address; undefined follows sp. */
  showMemory(address: number | undefined): void {
    this.memAddress = address === undefined ? undefined : (address & ~3) >>> 0;
    this.show(this.cycle);
  }

  private breakpointPcs(): Set<number> {
    return new Set(this.breakpoints.map((b) => b.pc));
  }

  /** Adds a breakpoint; a bad one is reported and not added. Returns whether it was added. */
  addBreakpoint(text: string): boolean {
    const o = this.opened;
    if (o === undefined) return false;
    try {
      const bp = parseBreakpoint(o.program, text);
      if (!this.breakpoints.some((b) => b.pc === bp.pc)) this.breakpoints.push(bp);
    } catch (e) {
      this.message(`breakpoint: ${(e as Error).message}`);
      return false;
    }
    this.renderBreakpoints();
    return true;
  }

  removeBreakpoint(pc: number): void {
    this.breakpoints = this.breakpoints.filter((b) => b.pc !== pc);
    this.renderBreakpoints();
  }

  toggleBreakpoint(pc: number): void {
    if (this.breakpoints.some((b) => b.pc === pc)) this.removeBreakpoint(pc);
    else this.addBreakpoint(hex32(pc));
    this.show(this.cycle);
  }

  private renderBreakpoints(): void {
    byId('bp-list').replaceChildren(
      ...this.breakpoints.map((b) => {
        const remove = el('button', { title: `remove ${b.text}`, 'data-pc': hex32(b.pc) }, '×');
        remove.addEventListener('click', () => {
          this.removeBreakpoint(b.pc);
          this.show(this.cycle);
        });
        return el('span', { class: 'bp', title: hex32(b.pc) }, b.text, remove);
      }),
    );
  }

  /** Runs forward to the next breakpoint hit, or to the end of the run when none is hit. */
  runToBreakpoint(): void {
    const o = this.opened;
    if (o === undefined) return;
    if (this.breakpoints.length === 0) {
      this.message('add a breakpoint first (a function name such as main, or an address)');
      return;
    }
    const hit = o.session.nextHit(this.cycle, this.breakpointPcs());
    if (hit === undefined) {
      this.message(`no breakpoint is hit after cycle ${this.cycle}: shown is the end of the run`);
      this.show(o.session.lastCycle);
    } else {
      this.message('');
      this.show(hit);
    }
  }

  /** Watches a register or a memory word for "previous/next write". */
  setWatch(target: WriteTarget): void {
    this.watch = target;
    this.markWatch();
  }

  private markWatch(): void {
    for (const e of document.querySelectorAll('.watched')) e.classList.remove('watched');
    const w = this.watch;
    byId('watch-label').textContent =
      w === undefined ? 'click a register or memory word to watch' : describeTarget(w);
    if (w === undefined) return;
    const cell =
      w.kind === 'register'
        ? document.getElementById(`reg-${w.reg}`)
        : document.querySelector(`#memory td[data-address="${hex32(w.address)}"]`);
    cell?.classList.add('watched');
  }

  /** Goes to the previous (-1) or next (+1) cycle that writes the watched target. */
  findWrite(direction: -1 | 1): void {
    const o = this.opened;
    const w = this.watch;
    if (o === undefined) return;
    if (w === undefined) {
      this.message('click a register or a memory word first: that is what to look for');
      return;
    }
    const hit =
      direction > 0 ? o.session.nextWrite(this.cycle, w) : o.session.previousWrite(this.cycle, w);
    if (hit === undefined) {
      this.message(
        `no ${direction > 0 ? 'later' : 'earlier'} write to ${describeTarget(w)} ${direction > 0 ? 'after' : 'before'} cycle ${this.cycle}`,
      );
      return;
    }
    this.message('');
    this.show(hit);
  }

  /** Writes the view into the URL (without a history entry). */
  writeUrl(): void {
    const o = this.opened;
    if (o === undefined) return;
    const hash = formatHash({
      ...(o.guest.example === undefined ? {} : { guest: o.guest.example }),
      cycle: this.cycle,
      ...(this.memAddress === undefined ? {} : { mem: this.memAddress }),
      breakpoints: this.breakpoints.map((b) => b.text),
      ...this.urlExtras(),
    });
    // replaceState, not location.hash: stepping must not fill the history or fire hashchange.
    if (location.hash !== hash) history.replaceState(null, '', hash);
  }
}
