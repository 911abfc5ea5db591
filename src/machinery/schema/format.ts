/** Reads the number format carried by integer and number scalar nodes. Pure. */
import type { SchemaNode } from './types.js'

/** The number format of an integer or number scalar node ("int32", "int64", "double"), if any. */
export function formatOf(node: SchemaNode): string | undefined {
  return (node as { format?: string }).format
}
