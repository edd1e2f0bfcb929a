// The prover in a Web Worker: proving takes seconds to minutes of CPU, which must not freeze the
// page, and terminating the worker is the only way to stop a synchronous prover mid-way (cancel).
import { createZkvm, PARALLEL_PROOF_MIN_CYCLES } from '@nexus/sdk';
import type { ProverMessage, ProverRequest } from './prover-protocol.js';
import { createWebProverPool, singleThreadReason } from './web-prover-pool.js';

// The worker's global scope, typed without the WebWorker lib (the page's DOM lib clashes with it).
const scope = self as unknown as {
  onmessage: ((e: MessageEvent<ProverRequest>) => void) | null;
  postMessage(message: ProverMessage, transfer?: Transferable[]): void;
};

async function prove(
  elf: Uint8Array,
  publicInput: Uint8Array,
  privateInput: Uint8Array,
): Promise<void> {
  // The default build, as `nexus prove` without a config: its proofs verify with `nexus verify`.
  const zkvm = createZkvm();
  let t = performance.now();
  const inputs = { publicInput, privateInput };
  // As the SDK's proveAsync: a pool only for a run long enough to pay for starting one (pass 1
  // is milliseconds next to proving).
  const long = zkvm.run(elf, inputs).cycles >= PARALLEL_PROOF_MIN_CYCLES;
  const pool = long ? await createWebProverPool() : null;
  let result: ReturnType<typeof zkvm.prove>;
  try {
    result = zkvm.prove(elf, inputs, {
      onProgress: (phase, fraction) => scope.postMessage({ type: 'progress', phase, fraction }),
      ...(pool === null ? {} : { pool }),
    });
  } finally {
    pool?.close();
  }
  const file = zkvm.proofFile(result);
  const proveMs = performance.now() - t;
  t = performance.now();
  // Verified here, from the file's bytes, as a verifier elsewhere would (and so a pool worker
  // that computed a wrong value cannot hand the page a bad proof).
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
      threads: pool?.threads ?? 1,
      oneThreadWhy:
        pool !== null
          ? null
          : long
            ? (singleThreadReason() ?? 'no pool')
            : `under ${PARALLEL_PROOF_MIN_CYCLES.toLocaleString('en')} cycles`,
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
  const fail = (err: unknown) => {
    const error = err instanceof Error ? err : new Error(String(err));
    scope.postMessage({ type: 'error', name: error.name, message: error.message });
  };
  try {
    if (r.kind === 'prove') prove(r.elf, r.publicInput, r.privateInput).catch(fail);
    else verify(r.file, r.elf);
  } catch (err) {
    fail(err);
  }
};
