/**
 * PATCH: applies a JSON, merge, strategic-merge or apply patch to the live object inside the
 * registry's compare-and-swap loop, and maps patch engine errors to Status errors.
 */
import type { KObject } from '../../api/meta.js'
import { applyPatch, jsonPatch, mergePatch, PatchError, strategicMergePatch } from '../../machinery/patch/index.js'
import { schemaFor } from '../../machinery/schema/index.js'
import { badRequest, invalid, StatusError, unsupportedMediaType } from '../../machinery/status-error.js'
import type { ResourceStrategy } from '../registry/resource.js'
import { mediaType } from './negotiate.js'

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply'

/** Maps a PATCH Content-Type to its patch type. */
export function patchTypeOf(contentType: string | undefined): PatchType {
  switch (mediaType(contentType)) {
    case 'application/json-patch+json':
      return 'json'
    case 'application/merge-patch+json':
      return 'merge'
    case 'application/strategic-merge-patch+json':
      return 'strategic'
    case 'application/apply-patch+yaml':
    case 'application/apply-patch+cbor':
      return 'apply'
    default:
      throw unsupportedMediaType(mediaType(contentType))
  }
}

export interface PatchContext {
  strategy: ResourceStrategy
  name: string
  manager: string
  force: boolean
  now: string
  subresource?: string
}

/** Applies `patch` to `live` (undefined only for apply-creates) and returns the new object. */
export function applyPatchTo(type: PatchType, live: KObject | undefined, patch: unknown, ctx: PatchContext): KObject {
  const apiVersion = ctx.strategy.group ? `${ctx.strategy.group}/${ctx.strategy.version}` : ctx.strategy.version
  const schema = schemaFor(apiVersion, ctx.strategy.kind)
  try {
    switch (type) {
      case 'json':
        if (!Array.isArray(patch))
          throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch')
        return jsonPatch(live, patch) as KObject
      case 'merge':
        if (!patch || typeof patch !== 'object' || Array.isArray(patch))
          throw badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}')
        return mergePatch(live, patch) as KObject
      case 'strategic':
        if (!patch || typeof patch !== 'object' || Array.isArray(patch))
          throw badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}')
        return strategicMergePatch(live, patch, schema) as KObject
      case 'apply':
        if (!ctx.manager) throw badRequest('PATCH, application/apply-patch+yaml requires fieldManager to be set')
        return applyPatch(live, patch as object, {
          manager: ctx.manager,
          force: ctx.force,
          schema,
          apiVersion,
          now: ctx.now,
          subresource: ctx.subresource,
        }) as KObject
    }
  } catch (e) {
    if (e instanceof StatusError) throw e
    if (e instanceof PatchError) {
      // Apply conflicts go out verbatim with their causes, as upstream's NewApplyConflict does.
      if (e.kind === 'Conflict')
        throw new StatusError({
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: e.message,
          reason: 'Conflict',
          details: { causes: e.causes },
          code: 409,
        })
      if (e.kind === 'Invalid' || e.kind === 'UnprocessableEntity')
        throw invalid(ctx.strategy, ctx.name, [{ type: 'FieldValueInvalid', field: '', detail: e.message }])
      throw badRequest(e.message)
    }
    throw e
  }
}
