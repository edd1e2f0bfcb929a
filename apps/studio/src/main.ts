import { ConstraintsPanel } from './constraints-panel.js';
import { Debugger } from './debugger.js';
import { EXAMPLES } from './examples.js';
import { parseAddress } from './format.js';
import { exampleGuest, fileGuest, type GuestFiles, servedGuest } from './guest-source.js';
import { ProvePanel } from './prove-panel.js';
import { byId, el } from './ui/dom.js';
import { parseHash } from './url-state.js';

// Opening another guest (or other tapes) drops the proof and the traces of the previous one.
const debug = new Debugger((view) => {
  provePanel.reset();
  constraintsPanel.reset(view);
});
const provePanel = new ProvePanel(() => debug.guest);
const constraintsPanel = new ConstraintsPanel({
  get guest() {
    return debug.guest;
  },
  get cycle() {
    return debug.shownCycle;
  },
  show: (cycle) => debug.show(cycle),
  writeUrl: () => debug.writeUrl(),
});
debug.onShow = (cycle) => attempt(() => constraintsPanel.update(cycle));
debug.urlExtras = () => constraintsPanel.urlState();

/** The broken example: fib with a result byte of its 8th add row one off. */
const BROKEN_EXAMPLE = { guest: 'fib', cell: 'add.r0@7' };

/** Runs an async action of the page; an unexpected error is shown, never swallowed. */
function attempt(action: () => Promise<void> | void): void {
  Promise.resolve()
    .then(action)
    .catch((e: unknown) => debug.message(`unexpected error: ${(e as Error)?.message ?? e}`));
}

async function openFile(file: File): Promise<void> {
  await debug.open(await fileGuest(file));
}

/** Reopens the current guest with one input tape replaced (from cycle 0: the run changes). */
async function withTape(file: File, which: 'publicInput' | 'privateInput'): Promise<void> {
  const guest = debug.guest;
  if (guest === undefined) {
    debug.message('open a guest first, then its input tapes');
    return;
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  const next: GuestFiles = { ...guest, [which]: bytes };
  await debug.open(next);
}

function wire(): void {
  const select = byId<HTMLSelectElement>('example');
  for (const e of EXAMPLES)
    select.append(el('option', { value: e.name, title: e.description }, e.name));
  select.addEventListener('change', () => {
    if (select.value !== '') attempt(async () => debug.open(await exampleGuest(select.value)));
  });
  const fileInput = (id: string, use: (f: File) => Promise<void>) => {
    const input = byId<HTMLInputElement>(id);
    input.addEventListener('change', () => {
      const f = input.files?.[0];
      if (f !== undefined) attempt(() => use(f));
      input.value = '';
    });
  };
  fileInput('elf-file', openFile);
  byId('broken-example').addEventListener('click', () =>
    attempt(async () => {
      if (debug.guest?.example !== BROKEN_EXAMPLE.guest)
        await debug.open(await exampleGuest(BROKEN_EXAMPLE.guest), { constraints: true });
      await constraintsPanel.loadBroken(BROKEN_EXAMPLE.cell);
    }),
  );
  fileInput('public-file', (f) => withTape(f, 'publicInput'));
  fileInput('private-file', (f) => withTape(f, 'privateInput'));

  // Dropping an ELF anywhere on the page opens it.
  document.addEventListener('dragover', (e) => {
    e.preventDefault();
    document.body.classList.add('dragging');
  });
  document.addEventListener('dragleave', () => document.body.classList.remove('dragging'));
  document.addEventListener('drop', (e) => {
    e.preventDefault();
    document.body.classList.remove('dragging');
    const f = e.dataTransfer?.files[0];
    if (f !== undefined) attempt(() => openFile(f));
  });

  byId('step-back').addEventListener('click', () => debug.step(-1));
  byId('step-forward').addEventListener('click', () => debug.step(1));
  const cycleInput = byId<HTMLInputElement>('cycle-input');
  const go = () => {
    const n = Number(cycleInput.value);
    if (!Number.isInteger(n) || n < 0) debug.message(`'${cycleInput.value}' is not a cycle number`);
    else debug.show(n);
  };
  byId('go').addEventListener('click', go);
  cycleInput.addEventListener('keydown', (e) => e.key === 'Enter' && go());

  const bpInput = byId<HTMLInputElement>('bp-input');
  const addBp = () => {
    if (debug.addBreakpoint(bpInput.value)) {
      bpInput.value = '';
      debug.message('');
      attempt(() => debug.show(Number(cycleInput.value)));
    }
  };
  byId('bp-add').addEventListener('click', addBp);
  bpInput.addEventListener('keydown', (e) => e.key === 'Enter' && addBp());
  byId('run-to-bp').addEventListener('click', () => debug.runToBreakpoint());
  byId('disassembly').addEventListener('click', (e) => {
    const row = (e.target as HTMLElement).closest('tr[data-pc]') as HTMLElement | null;
    if (row?.dataset.pc !== undefined) debug.toggleBreakpoint(parseAddress(row.dataset.pc)!);
  });

  // Clicking a register or a memory word watches it for "previous/next write".
  byId('registers').addEventListener('click', (e) => {
    const cell = (e.target as HTMLElement).closest('td') as HTMLElement | null;
    const value = cell?.id.startsWith('reg-') ? cell : (cell?.nextElementSibling as HTMLElement);
    const m = /^reg-(\d+)$/.exec(value?.id ?? '');
    if (m !== null) debug.setWatch({ kind: 'register', reg: Number(m[1]) });
  });
  byId('memory').addEventListener('click', (e) => {
    const address = (e.target as HTMLElement).closest('td')?.dataset.address;
    if (address !== undefined) debug.setWatch({ kind: 'memory', address: parseAddress(address)! });
  });
  byId('prev-write').addEventListener('click', () => debug.findWrite(-1));
  byId('next-write').addEventListener('click', () => debug.findWrite(1));

  const memInput = byId<HTMLInputElement>('mem-address');
  const showMem = () => {
    const a = parseAddress(memInput.value);
    if (a === undefined) debug.message(`'${memInput.value}' is not a hex address`);
    else debug.showMemory(a);
  };
  byId('mem-go').addEventListener('click', showMem);
  memInput.addEventListener('keydown', (e) => e.key === 'Enter' && showMem());
  byId('mem-sp').addEventListener('click', () => debug.showMemory(undefined));

  document.addEventListener('keydown', (e) => {
    // Arrow keys keep their meaning in text fields and menus.
    if (['INPUT', 'SELECT', 'TEXTAREA'].includes((e.target as HTMLElement).tagName)) return;
    if (e.key === 'ArrowRight') debug.step(e.shiftKey ? 100 : 1);
    if (e.key === 'ArrowLeft') debug.step(e.shiftKey ? -100 : -1);
  });

  // A hash typed or pasted into the address bar moves the view (a new guest reopens).
  window.addEventListener('hashchange', () => {
    const view = parseHash(location.hash);
    if (view.guest !== undefined && view.guest !== debug.guest?.example)
      attempt(async () => debug.open(await exampleGuest(view.guest!), view));
    else {
      constraintsPanel.applyView(view);
      if (view.mem !== undefined) debug.showMemory(view.mem);
      debug.show(view.cycle ?? debug.shownCycle);
    }
  });
}

async function start(): Promise<void> {
  wire();
  const view = parseHash(location.hash);
  // `nexus debug` serves its guest beside the page; a static host has none.
  const served = await servedGuest();
  if (served !== undefined) await debug.open(served, view);
  else if (view.guest !== undefined) await debug.open(await exampleGuest(view.guest), view);
}

attempt(start);
