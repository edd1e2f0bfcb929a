import pkg from '../package.json' with { type: 'json' };
import { KernelError } from './errors.js';

/** This copy's version of @nexus/kernel, read from its package.json. */
export const KERNEL_VERSION: string = pkg.version;

/**
 * Two copies of @nexus/kernel in one app (a plugin that resolved its peer dependency to another
 * version, or bundled the kernel) would mix objects of both: expressions of one copy combined
 * with another's are hash-consed by ids that mean different nodes, which fails deep in the
 * constraint compiler or, worse, silently builds another constraint. So every relation,
 * expression and system a copy makes carries, under one registered key, that copy's own
 * symbol (its description names the version), and the kernel accepts only its own.
 */
const MARK_KEY = Symbol.for('@nexus/kernel.copy');
const THIS_COPY = Symbol(`@nexus/kernel@${KERNEL_VERSION}`);

/** Marks an object (before it is frozen) as made by this copy of the kernel. */
export function brand<T extends object>(obj: T): T {
  Object.defineProperty(obj, MARK_KEY, { value: THIS_COPY, enumerable: false });
  return obj;
}

/** True when this copy of the kernel made `obj` (a relation, an expression or a system). */
export function isOwnKernelObject(obj: unknown): boolean {
  return (
    obj !== null &&
    (typeof obj === 'object' || typeof obj === 'function') &&
    (obj as Record<symbol, unknown>)[MARK_KEY] === THIS_COPY
  );
}

/**
 * The error for an object this copy did not make; `what` names it ("relation memory").
 * `details.kernelCopies` holds this copy's version and the other's (null when unknown).
 */
export function foreignKernelObjectError(obj: unknown, what: string): KernelError {
  const mark =
    obj !== null && (typeof obj === 'object' || typeof obj === 'function')
      ? (obj as Record<symbol, unknown>)[MARK_KEY]
      : undefined;
  const theirs =
    typeof mark === 'symbol'
      ? (/^@nexus\/kernel@(.+)$/.exec(mark.description ?? '')?.[1] ?? null)
      : null;
  const fix =
    "Plugins take @nexus/kernel as a peer dependency and must share the app's copy: install one version of @nexus/kernel that satisfies every plugin's peer range, dedupe (npm dedupe, pnpm dedupe; `npm ls @nexus/kernel` lists the copies), and never bundle the kernel into a plugin.";
  const message =
    typeof mark === 'symbol'
      ? `${what} was made by another copy of @nexus/kernel (${theirs ?? 'unknown version'}) than the one using it (${KERNEL_VERSION}): two copies of @nexus/kernel are loaded. ${fix}`
      : `${what} was not made by this copy of @nexus/kernel (${KERNEL_VERSION}): either two copies of @nexus/kernel are loaded (the other one, of unknown version, predates this check) or it was built by hand (relations come from defineRelation, expressions from the EvalContext and the kernel's builders, systems from assembleSystem). ${fix}`;
  return new KernelError(message, { kernelCopies: { this: KERNEL_VERSION, other: theirs } });
}

/** @throws KernelError saying that two copies of @nexus/kernel are loaded, unless this copy made `obj`. */
export function checkSameKernel(obj: unknown, what: string): void {
  if (!isOwnKernelObject(obj)) throw foreignKernelObjectError(obj, what);
}
