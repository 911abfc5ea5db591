/**
 * Base64 as Go's encoding/json reads a []byte field (base64.StdEncoding, padding required,
 * CR/LF ignored), so a bad Secret or ConfigMap value fails with upstream's message,
 * "illegal base64 data at input byte N". Pure.
 */
import { badRequest, type StatusError } from '../../../machinery/status-error.js'

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const decodeMap = new Map([...alphabet].map((c, i) => [c, i]))
const isNewline = (c: string | undefined) => c === '\n' || c === '\r'

/**
 * Offset of the first illegal byte as Go's decoder reports it (CorruptInputError), or -1 when
 * `s` decodes. Mirrors base64.(*Encoding).decodeQuantum.
 */
export function base64ErrorOffset(s: string): number {
  let si = 0
  while (si < s.length) {
    let j = 0
    for (; j < 4; j++) {
      if (si === s.length) {
        if (j === 0) return -1
        return si - j // padding is required, so any short quantum is corrupt
      }
      const c = s[si++]!
      if (decodeMap.has(c)) continue
      if (isNewline(c)) {
        j--
        continue
      }
      if (c !== '=') return si - 1
      // Padding: only valid in the third or fourth position of a quantum.
      if (j < 2) return si - 1
      if (j === 2) {
        while (si < s.length && isNewline(s[si])) si++
        if (si === s.length) return s.length
        if (s[si] !== '=') return si - 1
        si++
      }
      while (si < s.length && isNewline(s[si])) si++
      return si < s.length ? si : -1
    }
  }
  return -1
}

/** Decoded byte length of a valid base64 string (newlines ignored). */
export function base64DecodedLength(s: string): number {
  return Buffer.from(s.replace(/[\r\n]/g, ''), 'base64').length
}

/**
 * Checks every value of a base64 map; returns the 400 the decoder would have raised
 * (`<Kind> in version "v1" cannot be handled as a <Kind>: illegal base64 data at input byte N`).
 */
export function checkBase64Map(kind: string, values: Record<string, unknown> | undefined): StatusError | undefined {
  for (const key of Object.keys(values ?? {}).sort()) {
    const v = values![key]
    if (typeof v !== 'string') continue // the schema layer rejects non-strings
    const at = base64ErrorOffset(v)
    if (at >= 0)
      return badRequest(
        `${kind} in version "v1" cannot be handled as a ${kind}: illegal base64 data at input byte ${at}`,
      )
  }
  return undefined
}
