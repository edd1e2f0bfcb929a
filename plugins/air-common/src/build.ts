import type { ComponentTrace, System } from '@nexus/kernel';
import { isZkvmComponent, type ZkvmTraceContext } from './context.js';
import { countLookupsFromEntries, scratchLookups } from './count.js';

/**
 * Generates every zkVM component's trace from a trace context: rows first, then the tables,
 * which read the lookup counts the rows left (counted by hand, or from the bus entries for
 * components that ask: `ZkvmComponent.lookups`). Components without rows are absent from the map
 * (and from the proof).
 */
export function buildTraces(system: System, ctx: ZkvmTraceContext): Map<string, ComponentTrace> {
  const traces = new Map<string, ComponentTrace>();
  for (const phase of ['rows', 'tables'] as const) {
    for (const air of system.components) {
      const c = air.component;
      if (!isZkvmComponent(c)) {
        throw new Error(`component ${c.name} is not a zkVM component (it has no traceFor)`);
      }
      if (c.tracePhase !== phase) continue;
      if (c.lookups === 'from-entries') {
        const t = c.traceFor(scratchLookups(ctx));
        if (t === null) continue;
        countLookupsFromEntries(ctx, air, t);
        traces.set(c.name, t);
        continue;
      }
      const t = c.traceFor(ctx);
      if (t !== null) traces.set(c.name, t);
    }
  }
  return traces;
}
