/**
 * The one error base class of the project: a short message a user can act on, plus structured
 * details for tools. Every package throws a subclass, so callers can `instanceof NexusError`.
 *
 * @example
 * throw new FieldError('column length 3 is not a power of two', { argument: 'values' });
 */
export class NexusError extends Error {
  /** Machine-readable facts behind the message (argument names, offending values, ...). */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

/** Invalid input to a field, circle-group or FFT function. */
export class FieldError extends NexusError {}
