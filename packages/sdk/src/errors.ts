import { NexusError } from '@nexus/field';

/** A zkVM-level problem a user can act on (a missing plugin, a bad input). */
export class ZkvmError extends NexusError {}
