import { hexBytes } from './format.js';
import { configBuild, type GuestFiles } from './guest-source.js';
import {
  type ProofOutcome,
  ProvingCancelled,
  startProving,
  startVerifying,
  type WorkerJob,
} from './prover.js';
import { byId } from './ui/dom.js';

/**
 * The Prove panel: proves the opened guest's run in a Web Worker with a progress bar and a
 * cancel button, verifies the proof file in the worker and offers it for download.
 */
export class ProvePanel {
  private job: WorkerJob<ProofOutcome> | undefined;
  private downloadUrl: string | undefined;

  constructor(private readonly currentGuest: () => GuestFiles | undefined) {
    byId('prove').addEventListener('click', () => this.prove());
    byId('prove-cancel').addEventListener('click', () => this.job?.cancel());
    const verifyInput = byId<HTMLInputElement>('verify-file');
    verifyInput.addEventListener('change', () => {
      const f = verifyInput.files?.[0];
      verifyInput.value = '';
      if (f !== undefined) void this.verify(f);
    });
  }

  /** Verifies a proof file (made here or by `nexus prove`) against the opened guest's ELF. */
  private async verify(file: File): Promise<void> {
    const guest = this.currentGuest();
    if (guest === undefined) {
      this.status('open the guest the proof is about first: a proof is checked against its ELF');
      return;
    }
    const build = configBuild(guest);
    if (build !== undefined) {
      this.status(
        `verifying in the page uses the default build, not ${build.config}'s: verify with nexus verify --config ${build.config}`,
      );
      return;
    }
    this.status(`verifying ${file.name}…`);
    try {
      const r = await startVerifying(new Uint8Array(await file.arrayBuffer()), guest.elf).result;
      const out = r.claim.publicOutput;
      this.status(
        `${file.name} is a valid proof for ${guest.name}: exit ${r.claim.exitCode}, public input ${r.claim.publicInput.length} bytes, output ${out.length} bytes (${hexBytes(out.subarray(0, 16))}${out.length > 16 ? ' …' : ''}); verified in ${(r.verifyMs / 1000).toFixed(2)} s`,
      );
    } catch (e) {
      this.status(`${file.name} does not verify for ${guest.name}: ${(e as Error).message}`);
    }
  }

  private status(text: string): void {
    byId('prove-status').textContent = text;
  }

  /** Forgets the last proof (another guest or other tapes were opened). */
  reset(): void {
    this.job?.cancel();
    this.clearDownload();
    this.status('in a Web Worker, with the default build (as nexus prove)');
  }

  private clearDownload(): void {
    if (this.downloadUrl !== undefined) URL.revokeObjectURL(this.downloadUrl);
    this.downloadUrl = undefined;
    byId('proof-download').hidden = true;
  }

  private async prove(): Promise<void> {
    const guest = this.currentGuest();
    if (guest === undefined || this.job !== undefined) return;
    const build = configBuild(guest);
    if (build !== undefined) {
      // The prover here is the page's default build: its proof would be bound to another system
      // digest than the config's, and `nexus verify --config` would refuse it.
      this.status(
        `proving in the page uses the default build, not ${build.config}'s (system digest ${build.digest.slice(0, 16)}…): prove this guest with nexus prove --config ${build.config}`,
      );
      return;
    }
    this.clearDownload();
    const bar = byId<HTMLProgressElement>('prove-progress');
    bar.value = 0;
    bar.hidden = false;
    byId('prove').hidden = true;
    byId('prove-cancel').hidden = false;
    this.status('starting the prover…');
    const job = startProving(
      { elf: guest.elf, publicInput: guest.publicInput, privateInput: guest.privateInput },
      (phase, fraction) => {
        bar.value = fraction;
        this.status(`${phase} (${Math.round(fraction * 100)}%)`);
      },
    );
    this.job = job;
    try {
      const r = await job.result;
      const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
      this.status(
        `proved ${r.cycles.toLocaleString('en')} cycles (exit ${r.exitCode}) in ${seconds(r.proveMs)} ${r.threads > 1 ? `on ${r.threads} threads` : `on one thread (${r.oneThreadWhy})`}; the proof file (${r.file.length.toLocaleString('en')} bytes) verified in ${seconds(r.verifyMs)}`,
      );
      const link = byId<HTMLAnchorElement>('proof-download');
      this.downloadUrl = URL.createObjectURL(
        new Blob([r.file as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }),
      );
      link.href = this.downloadUrl;
      link.download = `${guest.name}.proof`;
      link.hidden = false;
    } catch (e) {
      this.status(
        e instanceof ProvingCancelled
          ? 'cancelled'
          : `could not prove: ${(e as Error).name}: ${(e as Error).message}`,
      );
    } finally {
      this.job = undefined;
      bar.hidden = true;
      byId('prove').hidden = false;
      byId('prove-cancel').hidden = true;
    }
  }
}
