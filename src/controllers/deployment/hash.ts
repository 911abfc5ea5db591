/**
 * The pod-template-hash (upstream controller.ComputeHash): FNV-1a 32 of the template, then of the
 * collision count when set (as 8 little-endian bytes), printed in decimal and re-encoded with
 * rand.SafeEncodeString's alphabet. Pure.
 * NOTE: upstream hashes Go's spew dump of the struct; petset hashes the canonical JSON of the
 * template (sorted keys, absent-equivalents dropped), so names differ from a real cluster's while
 * keeping the same shape, stability and collision handling.
 */
import type { PodTemplateSpec } from '../../api/pod.js'
import { canonicalJson } from './semantic.js'

const alphanums = 'bcdfghjklmnpqrstvwxz2456789'

/** A running FNV-1a 32-bit hash. */
export class Fnv32a {
  private h = 0x811c9dc5

  /** Mixes bytes into the hash. */
  write(bytes: Uint8Array): this {
    for (const b of bytes) this.h = Math.imul(this.h ^ b, 0x01000193) >>> 0
    return this
  }

  /** The hash so far, as an unsigned 32-bit number. */
  sum32(): number {
    return this.h
  }
}

/** rand.SafeEncodeString: maps each character onto a vowel-free alphabet (no accidental words). */
export function safeEncodeString(s: string): string {
  let out = ''
  for (const ch of s) out += alphanums[ch.codePointAt(0)! % alphanums.length]
  return out
}

/** ComputeHash: the pod-template-hash label value for a template and collision count. */
export function computeHash(template: PodTemplateSpec, collisionCount?: number): string {
  const hasher = new Fnv32a().write(new TextEncoder().encode(canonicalJson(template)))
  if (collisionCount !== undefined && collisionCount !== null) {
    const bytes = new Uint8Array(8)
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true)
    hasher.write(bytes)
  }
  return safeEncodeString(String(hasher.sum32()))
}
