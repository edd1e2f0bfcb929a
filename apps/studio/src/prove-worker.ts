// The prover in a Web Worker: proving takes seconds to minutes of CPU, which must not freeze the
// page, and terminating the worker is the only way to stop a synchronous prover mid-way (cancel).
import { createZkvm } from '@nexus/sdk';
import type { ProverMessage, ProverRequest } from './prover-protocol.js';

// The worker's global scope, typed without the WebWorker lib (the page's DOM lib clashes with it).
const scope = self as unknown as {
  onmessage: ((e: MessageEvent<ProverRequest>) => void) | null;
  postMessage(message: ProverMessage, transfer?: Transferable[]): void;
};

function prove(elf: Uint8Array, publicInput: Uint8Array, privateInput: Uint8Array): void {
  // The default build, as `nexus prove` without a config: its proofs verify with `nexus verify`.
  const zkvm = createZkvm();
  let t = performance.now();
  const result = zkvm.prove(
    elf,
    { publicInput, privateInput },
    { onProgress: (phase, fraction) => scope.postMessage({ type: 'progress', phase, fraction }) },
  );
  const file = zkvm.proofFile(result);
  const proveMs = performance.now() - t;
  t = performance.now();
  // Verified here, from the file's bytes, as a verifier elsewhere would.
  zkvm.verifyFile(file, elf);
  const verifyMs = performance.now() - t;
  scope.postMessage(
    {
      type: 'proved',
      file,
      cycles: result.cycles,
      exitCode: result.claim.exitCode,
      publicOutput: result.claim.publicOutput,
      proveMs,
      verifyMs,
    },
    [file.buffer as ArrayBuffer],
  );
}

function verify(file: Uint8Array, elf: Uint8Array): void {
  const t = performance.now();
  const claim = createZkvm().verifyFile(file, elf);
  scope.postMessage({
    type: 'verified',
    claim: {
      exitCode: claim.exitCode,
      publicInput: claim.publicInput,
      publicOutput: claim.publicOutput,
    },
    verifyMs: performance.now() - t,
  });
}

scope.onmessage = (e) => {
  const r = e.data;
  try {
    if (r.kind === 'prove') prove(r.elf, r.publicInput, r.privateInput);
    else verify(r.file, r.elf);
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    scope.postMessage({ type: 'error', name: error.name, message: error.message });
  }
};
