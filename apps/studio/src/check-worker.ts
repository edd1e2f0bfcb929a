// The constraint view's builder and checker in a Web Worker: building a window far into a long
// run re-runs pass 2 up to it (seconds on a run of millions of cycles), which must not freeze
// the page. One worker per opened guest; the page terminates it when another guest opens.
import { createZkvm, type Zkvm } from '@nexus/sdk';
import { studioPlugins } from './build.js';
import type { CheckMethods, CheckRequest, CheckResponse } from './check-protocol.js';
import { CheckService } from './check-service.js';

// The worker's global scope, typed without the WebWorker lib (the page's DOM lib clashes with it).
const scope = self as unknown as {
  onmessage: ((e: MessageEvent<CheckRequest>) => void) | null;
  postMessage(message: CheckResponse): void;
};

let zkvm: Zkvm | undefined;
let service: CheckService | undefined;

function opened(): CheckService {
  if (service === undefined) throw new Error('open a guest in the check worker first');
  return service;
}

/**
 * Takes pass 2's checkpoints through the run a step at a time between calls (each step yields
 * to the message queue), so that a jump deep into a long run re-runs a few windows, not the run
 * up to it. Stops when another guest is opened.
 */
function prepareWhileIdle(s: CheckService): void {
  setTimeout(function step() {
    if (service === s && s.prepareAhead()) setTimeout(step, 0);
  }, 0);
}

const methods: CheckMethods = {
  open(guest) {
    // The default build unless a plugin author put theirs in build.ts.
    zkvm ??= createZkvm({ plugins: studioPlugins() });
    service = undefined;
    const opened = new CheckService(zkvm, guest);
    service = opened;
    prepareWhileIdle(opened);
    return { cycles: opened.cycles, windowCount: opened.windowCount };
  },
  check: (cycle, edits) => opened().check(cycle, edits),
  rows: (cycle, row) => opened().rows(cycle, row),
  honest: (ref) => opened().honest(ref),
  checkRunBuses: (windows) => opened().checkRunBuses(windows),
};

scope.onmessage = (e) => {
  const { id, method, args } = e.data;
  try {
    const f = methods[method] as (...a: readonly unknown[]) => unknown;
    scope.postMessage({ id, ok: true, value: f(...args) });
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    scope.postMessage({ id, ok: false, name: error.name, message: error.message });
  }
};
