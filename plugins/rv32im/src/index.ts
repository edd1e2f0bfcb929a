import { add } from '@nexus/air-add';
import { auipc } from '@nexus/air-auipc';
import { logic } from '@nexus/air-bitwise';
import { branch } from '@nexus/air-branch';
import { div } from '@nexus/air-div';
import { ecall } from '@nexus/air-ecall';
import { fence } from '@nexus/air-fence';
import { jal } from '@nexus/air-jal';
import { jalr } from '@nexus/air-jalr';
import { load } from '@nexus/air-load';
import { lui } from '@nexus/air-lui';
import { mul } from '@nexus/air-mul';
import { shift } from '@nexus/air-shift';
import { slt } from '@nexus/air-slt';
import { store } from '@nexus/air-store';
import { sub } from '@nexus/air-sub';
import { bitwise } from '@nexus/bitwise';
import { blake2s } from '@nexus/hash-blake2s';
import { io } from '@nexus/io';
import type { Plugin } from '@nexus/kernel';
import { memory } from '@nexus/memory';
import { program } from '@nexus/program';
import { rangeCheck } from '@nexus/range-check';
import { registerFile } from '@nexus/register-file';

/**
 * The full RV32IM zkVM as a preset: a plain array of plugins (the hash backend, the
 * bus-owning tables, every instruction family). Spread it and add your own plugins to build a
 * custom zkVM: `createZkvm({ plugins: [...rv32im(), myPrecompile()] })`.
 */
export function rv32im(): Plugin[] {
  return [
    blake2s(),
    program(),
    registerFile(),
    memory(),
    rangeCheck(),
    bitwise(),
    io(),
    add(),
    auipc(),
    logic(),
    branch(),
    div(),
    fence(),
    jal(),
    jalr(),
    load(),
    lui(),
    mul(),
    shift(),
    slt(),
    store(),
    sub(),
    ecall(),
  ];
}
