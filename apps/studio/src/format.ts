/** `0x0001f000`: an address or word as 8 hex digits. */
export function hex32(v: number): string {
  return `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
}

/** Bytes as space-separated hex pairs. */
export function hexBytes(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** Reads `0x1f000`, `1f000` or `0x0001f000` as an address; undefined when it is not one. */
export function parseAddress(text: string): number | undefined {
  const t = text.trim().replace(/^0x/i, '');
  if (!/^[0-9a-f]{1,8}$/i.test(t)) return undefined;
  return Number.parseInt(t, 16);
}
