/** Text helpers shared by the commands' human-readable output. */

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
 * '8 bytes (hex): 613933ee02000000' or '5 bytes (text): "hello"' (JSON-quoted, so a trailing
 * newline or an empty string is visible), cut to `max` bytes or characters.
 */
export function bytesPreview(bytes: Uint8Array, max = 64): string {
  const n = bytes.length;
  const head = `${n.toLocaleString('en-US')} byte${n === 1 ? '' : 's'}`;
  if (n === 0) return head;
  const text = printableText(bytes);
  if (text !== null) {
    const chars = [...text];
    const more = chars.length > max ? ` ... (${chars.length - max} more characters)` : '';
    return `${head} (text): ${JSON.stringify(chars.slice(0, max).join(''))}${more}`;
  }
  const more = n > max ? ` ... (${(n - max).toLocaleString('en-US')} more)` : '';
  return `${head} (hex): ${hex(bytes.subarray(0, max))}${more}`;
}

/** 57820 -> "57,820 bytes (56.5 KiB)" */
export function sizeText(n: number): string {
  const exact = `${n.toLocaleString('en-US')} bytes`;
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
