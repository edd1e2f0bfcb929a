/** Text helpers shared by the commands' human-readable output. */

/**
 * Characters a terminal acts on rather than shows: C0 controls but tab and newline (so ESC,
 * BEL and carriage return), DEL, C1 controls (CSI on 8-bit terminals), the line and paragraph
 * separators, and the bidirectional marks, embeddings, overrides and isolates, which reorder
 * the text after them.
 */
function isTerminalControl(c: number): boolean {
  return (
    (c < 0x20 && c !== 0x09 && c !== 0x0a) ||
    (c >= 0x7f && c <= 0x9f) ||
    c === 0x061c ||
    c === 0x200e ||
    c === 0x200f ||
    c === 0x2028 ||
    c === 0x2029 ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2066 && c <= 0x2069)
  );
}

/**
 * Text with every terminal control written as a visible \uXXXX escape (valid inside a JSON
 * string too, with the same meaning). For anything that comes from a file a user was handed:
 * a proof's config name or an error about it must not move the cursor, erase lines or
 * recolour the terminal, which could make a rejected or forged proof look like another one.
 */
export function terminalSafe(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    out += isTerminalControl(c) ? `\\u${c.toString(16).padStart(4, '0')}` : ch;
  }
  return out;
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/**
 * The bytes as text when they are printable UTF-8 (tabs and newlines allowed), else null. Text
 * with control characters is shown as hex so that output cannot move the cursor or recolour the
 * terminal of whoever reads a proof's claim.
 */
export function printableText(bytes: Uint8Array): string | null {
  if (bytes.length === 0) return null;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
  // Printable: no C0 controls but \t \n \r, no DEL or C1 controls, no bidi overrides.
  return /^[^\p{Cc}\u202a-\u202e\u2066-\u2069]*$/u.test(text.replace(/[\t\n\r]/g, ''))
    ? text
    : null;
}

/**
 * 1234567 -> "1,234,567" (rounded to an integer). Not toLocaleString: its first call loads the
 * ICU locale data, ~20-50 ms of a `nexus verify` that prints one number.
 */
export function grouped(n: number): string {
  const digits = Math.abs(Math.round(n)).toString();
  const head = digits.length % 3 || 3;
  let out = digits.slice(0, head);
  for (let i = head; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return Math.round(n) < 0 ? `-${out}` : out;
}

/**
 * '8 bytes (hex): 613933ee02000000' or '5 bytes (text): "hello"' (JSON-quoted, so a trailing
 * newline or an empty string is visible), cut to `max` bytes or characters.
 */
export function bytesPreview(bytes: Uint8Array, max = 64): string {
  const n = bytes.length;
  const head = `${grouped(n)} byte${n === 1 ? '' : 's'}`;
  if (n === 0) return head;
  const text = printableText(bytes);
  if (text !== null) {
    const chars = [...text];
    const more = chars.length > max ? ` ... (${chars.length - max} more characters)` : '';
    return `${head} (text): ${JSON.stringify(chars.slice(0, max).join(''))}${more}`;
  }
  const more = n > max ? ` ... (${grouped(n - max)} more)` : '';
  return `${head} (hex): ${hex(bytes.subarray(0, max))}${more}`;
}

/** 57820 -> "57,820 bytes (56.5 KiB)" */
export function sizeText(n: number): string {
  const exact = `${grouped(n)} bytes`;
  if (n < 1024) return exact;
  const units = ['KiB', 'MiB', 'GiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${exact} (${v.toFixed(1)} ${units[u]})`;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
