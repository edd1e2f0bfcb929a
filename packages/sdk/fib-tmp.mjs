import fs from 'node:fs';
import { createZkvm } from '@nexus/sdk';

const name = process.argv[2] ?? 'fib';
const sec = process.argv[3] ?? 'test';
const elf = fs.readFileSync(`../../guests/bin/${name}.elf`);
const zkvm = createZkvm({ security: sec });
const timings = {};
let t = performance.now();
try {
  const r = zkvm.prove(elf, { publicInput: Uint8Array.of(20, 0, 0, 0) }, { timings });
  console.log(
    'prove',
    (performance.now() - t).toFixed(0),
    'ms cycles',
    r.cycles,
    JSON.stringify(Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v)]))),
  );
  console.log('components', JSON.stringify(r.components));
  const file = zkvm.proofFile(r);
  console.log('file bytes', file.length);
  t = performance.now();
  const claim = zkvm.verifyFile(file, elf, {}, { minSecurityBits: 0 });
  console.log(
    'verify',
    (performance.now() - t).toFixed(0),
    'ms exit',
    claim.exitCode,
    'out',
    Buffer.from(claim.publicOutput).toString('hex'),
  );
} catch (e) {
  console.log('ERROR', e.constructor.name, e.message.slice(0, 600));
}
