import type { CellRef } from './cell-edit.js';
import type { CheckMethod } from './check-protocol.js';
import type { CheckService } from './check-service.js';
import type { CellEdit, RowRef } from './constraint-check.js';

/** A request the page cannot have meant: answered with HTTP 400 and this message. */
export class BadCheckRequest extends Error {
  override readonly name = 'BadCheckRequest';
}

/** What api/check answers: the method's value, or the error it threw (by name, as the worker). */
export type CheckAnswer =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly name: string; readonly message: string };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function int(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    throw new BadCheckRequest(`${what} must be a non-negative integer (got ${JSON.stringify(v)})`);
  return v;
}

function str(v: unknown, what: string): string {
  if (typeof v !== 'string' || v === '' || v.length > 200)
    throw new BadCheckRequest(`${what} must be a short non-empty string`);
  return v;
}

function cellRef(v: unknown, what: string): CellRef {
  if (!isObject(v)) throw new BadCheckRequest(`${what} must be an object`);
  return {
    component: str(v.component, `${what}.component`),
    column: str(v.column, `${what}.column`),
    row: int(v.row, `${what}.row`),
  };
}

function edits(v: unknown): CellEdit[] {
  if (!Array.isArray(v) || v.length > 1000)
    throw new BadCheckRequest('edits must be an array of at most 1000 cells');
  return v.map((e, i) => ({
    ...cellRef(e, `edits[${i}]`),
    value: int(e.value, `edits[${i}].value`),
  }));
}

/**
 * The page's calls to the constraint view's CheckService, over HTTP (`nexus debug` with a
 * config: the process that has the config's plugins loaded builds and checks the traces). The
 * body is JSON `{ method, args }` as the page's worker protocol sends it; every argument is
 * checked here, at the boundary, so a malformed call is a BadCheckRequest, never a crash of the
 * service. `open` takes no guest: the server's service is for the guest it serves.
 *
 * @example
 * const answer = callCheck(service, { method: 'check', args: [1200, []] });
 */
export function callCheck(service: CheckService, body: unknown): CheckAnswer {
  if (!isObject(body) || typeof body.method !== 'string' || !Array.isArray(body.args))
    throw new BadCheckRequest('a check request is JSON { method, args: [...] }');
  const args = body.args;
  const method = body.method as CheckMethod;
  const run = (): unknown => {
    switch (method) {
      case 'open':
        return { cycles: service.cycles, windowCount: service.windowCount };
      case 'check':
        return service.check(int(args[0], 'cycle'), edits(args[1]));
      case 'rows': {
        const cycle = int(args[0], 'cycle');
        if (args[1] === undefined || args[1] === null) return service.rows(cycle);
        if (!isObject(args[1])) throw new BadCheckRequest('row must be { component, row }');
        const row: Omit<RowRef, 'cycle'> = {
          component: str(args[1].component, 'row.component'),
          row: int(args[1].row, 'row.row'),
        };
        return service.rows(cycle, row);
      }
      case 'honest':
        return service.honest(cellRef(args[0], 'cell'));
      case 'checkRunBuses': {
        const windows = int(args[0], 'windows');
        if (windows < 1 || windows > 64) throw new BadCheckRequest('windows must be 1..64');
        return service.checkRunBuses(windows);
      }
      default:
        throw new BadCheckRequest(
          `no check method '${String(body.method)}' (there are open, check, rows, honest, checkRunBuses)`,
        );
    }
  };
  try {
    return { ok: true, value: run() };
  } catch (e) {
    if (e instanceof BadCheckRequest) throw e;
    // The service's own errors (an edit naming no column, a row past the trace) go to the page,
    // which shows them as the worker's.
    const error = e instanceof Error ? e : new Error(String(e));
    return { ok: false, name: error.name, message: error.message };
  }
}
