/** Bytes as uppercase hex without separators, the way fixtures and logs show reports. */
export function toHex(bytes: Uint8Array | readonly number[]): string {
  let s = ''
  for (const b of bytes) s += (b & 0xff).toString(16).padStart(2, '0')
  return s.toUpperCase()
}

/** Parses hex (spaces, colons and dashes between bytes allowed) into bytes; null when it is not hex. */
export function fromHex(text: string): Uint8Array | null {
  const clean = text.replace(/[\s:-]/g, '')
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) return null
  const out = new Uint8Array(clean.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16)
  return out
}
