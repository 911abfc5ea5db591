/**
 * Server-side field validation (fieldValidation=Strict|Warn|Ignore): unknown and duplicate
 * fields are rejected, reported as warnings, or silently dropped. Unknown fields never reach
 * the store in any mode, as decoding into typed structs drops them upstream.
 */
import type { KObject } from '../../api/meta.js'
import { findUnknownFields, schemaFor, strictFieldErrors, unknownFieldMessage } from '../../machinery/schema/index.js'
import type { SchemaNode } from '../../machinery/schema/types.js'
import { badRequest } from '../../machinery/status-error.js'
import type { ResourceStrategy } from '../registry/resource.js'

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore'

/** Removes fields the schema does not declare, in place. */
export function pruneUnknownFields(value: unknown, schema: SchemaNode | undefined): void {
  if (!schema || value === null || typeof value !== 'object') return
  if (schema.kind === 'object' && schema.fields && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>
    for (const key of Object.keys(obj)) {
      const field = schema.fields[key]
      if (!field) delete obj[key]
      else pruneUnknownFields(obj[key], field)
    }
  } else if (schema.kind === 'list' && Array.isArray(value)) {
    for (const item of value) pruneUnknownFields(item, schema.elem)
  } else if (schema.kind === 'map' && !Array.isArray(value)) {
    for (const v of Object.values(value as Record<string, unknown>)) pruneUnknownFields(v, schema.elem)
  }
}

/** Checks obj (and its raw text, for duplicates) under the given mode; prunes unknown fields. */
export function fieldChecks(
  strategy: ResourceStrategy,
  obj: KObject,
  text: string | undefined,
  mode: FieldValidation,
  warnings: string[],
  decoding = true,
): void {
  const apiVersion = strategy.group ? `${strategy.group}/${strategy.version}` : strategy.version
  const schema = schemaFor(apiVersion, strategy.kind)
  if (!schema) return
  if (mode !== 'Ignore') {
    // JSON text gives duplicates and unknowns in document order, as upstream reports them.
    const problems =
      text !== undefined && isJsonText(text)
        ? strictFieldErrors(text, schema)
        : findUnknownFields(obj, schema).map(unknownFieldMessage)
    if (problems.length) {
      // Decoding a body names the kind as kube-apiserver's codec does; patch results do not.
      const prefix = decoding
        ? `${strategy.kind} in version "${strategy.version}" cannot be handled as a ${strategy.kind}: `
        : ''
      if (mode === 'Strict') throw badRequest(`${prefix}strict decoding error: ${problems.join(', ')}`)
      warnings.push(...problems)
    }
  }
  pruneUnknownFields(obj, schema)
}

const isJsonText = (text: string) => /^\s*[{[]/.test(text)
