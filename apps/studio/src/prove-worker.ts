// The prover in a Web Worker: proving takes seconds to minutes of CPU, which must not freeze the
// page, and terminating the worker is the only way to stop a synchronous prover mid-way (cancel).
import { createZkvm } from '@nexus/sdk';
import type { ProveRequest, ProverMessage } from './prover-protocol.js';

// The worker's global scope, typed without the WebWorker lib (the page's DOM lib clashes with it).
const scope = self as unknown as {
  onmessage: ((e: MessageEvent<ProveRequest>) => void) | null;
  postMessage(message: ProverMessage, transfer?: Transferable[]): void;
};

scope.onmessage = (e) => {
  const { elf, publicInput, privateInput } = e.data;
  try {
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
        type: 'done',
        file,
        cycles: result.cycles,
        exitCode: result.claim.exitCode,
        publicOutput: result.claim.publicOutput,
        proveMs,
        verifyMs,
      },
      [file.buffer as ArrayBuffer],
    );
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    scope.postMessage({ type: 'error', name: error.name, message: error.message });
  }
};
