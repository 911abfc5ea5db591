/**
 * ObjectMeta validation on create and update, as apimachinery's api/validation/objectmeta.go does it
 * (Kubernetes 1.32): names, namespace scope, labels, annotations, owner references, finalizers and
 * managed fields; immutability on update. Messages are upstream's, since kubectl prints them.
 * Pure: no I/O.
 */
import {
  FinalizerForeground,
  FinalizerOrphan,
  type ManagedFieldsEntry,
  type ObjectMeta,
  type OwnerReference,
  parseApiVersion,
} from '../../api/meta.js'
import { type FieldError, forbiddenField, invalidValue, Path, required, tooLong } from '../field-error.js'
import { validateLabels } from '../labels.js'
import {
  byteLength,
  isQualifiedName,
  nameIsDNSSubdomain,
  type ValidateNameFunc,
  validateNamespaceName,
} from './names.js'

/** FieldImmutableErrorMsg. */
export const fieldImmutableErrorMsg = 'field is immutable'
/** TotalAnnotationSizeLimitB: 256 KiB over all keys and values. */
export const totalAnnotationSizeLimitB = 256 * (1 << 10)
/** IsNegativeErrorMsg. */
export const isNegativeErrorMsg = 'must be greater than or equal to 0'

const rootPath = () => Path.root('metadata')

/** ValidateNonnegativeField. */
export function validateNonnegativeField(value: number, path: Path): FieldError[] {
  return value < 0 ? [invalidValue(path, value, isNegativeErrorMsg)] : []
}

/** ValidateAnnotations: keys are qualified names (case-insensitive), total size at most 256 KiB. */
export function validateAnnotations(annotations: Record<string, string> | undefined, path: Path): FieldError[] {
  const errs: FieldError[] = []
  let total = 0
  for (const [k, v] of Object.entries(annotations ?? {})) {
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(invalidValue(path, k, msg))
    total += byteLength(k) + byteLength(v)
  }
  // field.TooLong(path, "", limit) prints no value: `Too long: must have at most 262144 bytes`.
  if (total > totalAnnotationSizeLimitB) errs.push({ ...tooLong(path, '', totalAnnotationSizeLimitB), hasValue: false })
  return errs
}

function validateOwnerReference(ref: OwnerReference, path: Path): FieldError[] {
  const errs: FieldError[] = []
  // schema.ParseGroupVersion yields no version for "a/b/c".
  const av = ref.apiVersion ?? ''
  const { group, version } = av.split('/').length > 2 ? { group: '', version: '' } : parseApiVersion(av)
  if (!version) errs.push(invalidValue(path.child('apiVersion'), ref.apiVersion ?? '', 'version must not be empty'))
  if (!ref.kind) errs.push(invalidValue(path.child('kind'), ref.kind ?? '', 'must not be empty'))
  if (!ref.name) errs.push(invalidValue(path.child('name'), ref.name ?? '', 'must not be empty'))
  if (!ref.uid) errs.push(invalidValue(path.child('uid'), ref.uid ?? '', 'must not be empty'))
  if (group === '' && version === 'v1' && ref.kind === 'Event')
    errs.push(invalidValue(path, ref, '/v1, Kind=Event is disallowed from being an owner'))
  return errs
}

/** ValidateOwnerReferences: required fields, banned owners, at most one controller. */
export function validateOwnerReferences(refs: OwnerReference[] | undefined, path: Path): FieldError[] {
  const errs: FieldError[] = []
  let firstController = ''
  for (const ref of refs ?? []) {
    errs.push(...validateOwnerReference(ref, path))
    if (ref.controller !== true) continue
    const cur = `${ref.kind}/${ref.name}`
    if (firstController)
      errs.push(
        invalidValue(
          path,
          refs,
          `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${cur}`,
        ),
      )
    else firstController = cur
  }
  return errs
}

/** ValidateFinalizers: qualified names, and not both `orphan` and `foregroundDeletion`. */
export function validateFinalizers(finalizers: string[] | undefined, path: Path): FieldError[] {
  const errs: FieldError[] = []
  for (const f of finalizers ?? []) for (const msg of isQualifiedName(f)) errs.push(invalidValue(path, f, msg))
  const list = finalizers ?? []
  if (list.includes(FinalizerOrphan) && list.includes(FinalizerForeground))
    errs.push(invalidValue(path, list, `finalizer ${FinalizerOrphan} and ${FinalizerForeground} cannot be both set`))
  return errs
}

/** ValidateNoNewFinalizers: an object being deleted may lose finalizers but not gain them. */
export function validateNoNewFinalizers(
  newF: string[] | undefined,
  oldF: string[] | undefined,
  path: Path,
): FieldError[] {
  const old = new Set(oldF ?? [])
  const extra = [...new Set((newF ?? []).filter(f => !old.has(f)))].sort()
  if (extra.length === 0) return []
  const list = `[]string{${extra.map(f => JSON.stringify(f)).join(', ')}}`
  return [
    forbiddenField(path, `no new finalizers can be added if the object is being deleted, found new finalizers ${list}`),
  ]
}

const standardFinalizers = new Set(['kubernetes', FinalizerOrphan, FinalizerForeground])

/**
 * pkg/apis/core/validation's extra finalizer rule for built-in kinds: an unqualified name (no '/')
 * must be a standard finalizer. Custom resources skip it. Errors are indexed (`finalizers[0]`).
 */
export function validateKubeFinalizerNames(finalizers: string[] | undefined, path: Path): FieldError[] {
  const errs: FieldError[] = []
  ;(finalizers ?? []).forEach((f, i) => {
    if (!f.includes('/') && !standardFinalizers.has(f))
      errs.push(invalidValue(path.index(i), f, 'name is neither a standard finalizer name nor is it fully qualified'))
  })
  return errs
}

/** Go's unicode.IsPrint, approximated: no control characters, no unassigned/format code points. */
const isPrint = (c: string) => /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(c)

/** ValidateFieldManager: at most 128 bytes, printable characters only. */
export function validateFieldManager(manager: string | undefined, path: Path): FieldError[] {
  const errs: FieldError[] = []
  const m = manager ?? ''
  if (byteLength(m) > 128) errs.push(tooLong(path, m, 128))
  let pos = 0
  for (const c of m) {
    if (!isPrint(c)) {
      const hex = c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')
      errs.push(invalidValue(path, m, `invalid character U+${hex} (at position ${pos})`))
    }
    pos += byteLength(c)
  }
  return errs
}

/** ValidateManagedFields: operation Apply|Update, fieldsType FieldsV1, manager, subresource length. */
export function validateManagedFields(entries: ManagedFieldsEntry[] | undefined, path: Path): FieldError[] {
  const errs: FieldError[] = []
  ;(entries ?? []).forEach((e, i) => {
    const p = path.index(i)
    if (e.operation !== 'Apply' && e.operation !== 'Update')
      errs.push(invalidValue(p.child('operation'), e.operation ?? '', 'must be `Apply` or `Update`'))
    if (e.fieldsType && e.fieldsType !== 'FieldsV1')
      errs.push(invalidValue(p.child('fieldsType'), e.fieldsType, 'must be `FieldsV1`'))
    errs.push(...validateFieldManager(e.manager, p.child('manager')))
    if (byteLength(e.subresource ?? '') > 256) errs.push(tooLong(p.child('subresource'), e.subresource, 256))
  })
  return errs
}

/** Options for validateObjectMeta. */
export interface ObjectMetaOptions {
  /** Whether the kind lives in a namespace (namespace required) or is cluster-scoped (namespace forbidden). */
  namespaced: boolean
  /** The kind's ValidateNameFunc; defaults to nameIsDNSSubdomain. */
  nameFn?: ValidateNameFunc
  /** Apply the built-in kinds' finalizer rule (validateKubeFinalizerNames); default true, false for custom resources. */
  coreFinalizers?: boolean
}

/** Options for validateObjectMetaUpdate. */
export interface ObjectMetaUpdateOptions {
  /** As ObjectMetaOptions.coreFinalizers; default true. */
  coreFinalizers?: boolean
}

/** The parts validated identically on create and update. */
function validateCommon(meta: ObjectMeta, path: Path): FieldError[] {
  return [
    ...validateLabels(meta.labels, path.child('labels')),
    ...validateAnnotations(meta.annotations, path.child('annotations')),
    ...validateOwnerReferences(meta.ownerReferences, path.child('ownerReferences')),
  ]
}

/**
 * ValidateObjectMeta (the ValidateObjectMetaAccessor variant): generateName and name checked with
 * nameFn, name required (`name or generateName is required`: call after name generation),
 * namespace required or forbidden by scope, generation, labels, annotations, owner references,
 * finalizers, managed fields, and (for built-in kinds) the standard-finalizer rule. Path root
 * defaults to `metadata`.
 */
export function validateObjectMeta(meta: ObjectMeta, opts: ObjectMetaOptions, path: Path = rootPath()): FieldError[] {
  const nameFn = opts.nameFn ?? nameIsDNSSubdomain
  const errs: FieldError[] = []
  if (meta.generateName)
    for (const msg of nameFn(meta.generateName, true))
      errs.push(invalidValue(path.child('generateName'), meta.generateName, msg))
  if (!meta.name) errs.push(required(path.child('name'), 'name or generateName is required'))
  else for (const msg of nameFn(meta.name, false)) errs.push(invalidValue(path.child('name'), meta.name, msg))
  if (opts.namespaced) {
    if (!meta.namespace) errs.push(required(path.child('namespace')))
    else
      for (const msg of validateNamespaceName(meta.namespace, false))
        errs.push(invalidValue(path.child('namespace'), meta.namespace, msg))
  } else if (meta.namespace) errs.push(forbiddenField(path.child('namespace'), 'not allowed on this type'))
  errs.push(...validateNonnegativeField(meta.generation ?? 0, path.child('generation')))
  errs.push(...validateCommon(meta, path))
  errs.push(...validateFinalizers(meta.finalizers, path.child('finalizers')))
  errs.push(...validateManagedFields(meta.managedFields, path.child('managedFields')))
  if (opts.coreFinalizers !== false) errs.push(...validateKubeFinalizerNames(meta.finalizers, path.child('finalizers')))
  return errs
}

/** ValidateImmutableField for scalar metadata (absent and zero value compare equal, as Go's zero values do). */
function immutable(newV: unknown, oldV: unknown, path: Path): FieldError[] {
  // A nil pointer renders as the quoted string "null" in upstream's field errors.
  return newV === oldV ? [] : [invalidValue(path, newV ?? 'null', fieldImmutableErrorMsg)]
}

/**
 * ValidateObjectMetaUpdate: no new finalizers once deleting, resourceVersion present (the registry
 * must copy the stored one in first for unconditional updates), generation not decremented;
 * name, namespace, uid, creationTimestamp, deletionTimestamp and deletionGracePeriodSeconds
 * immutable; then labels, annotations, owner references, managed fields and (for built-in kinds)
 * finalizer names of the new object.
 */
export function validateObjectMetaUpdate(
  newMeta: ObjectMeta,
  oldMeta: ObjectMeta,
  path: Path = rootPath(),
  opts: ObjectMetaUpdateOptions = {},
): FieldError[] {
  const errs: FieldError[] = []
  if (oldMeta.deletionTimestamp)
    errs.push(...validateNoNewFinalizers(newMeta.finalizers, oldMeta.finalizers, path.child('finalizers')))
  if (!newMeta.resourceVersion)
    errs.push(
      invalidValue(path.child('resourceVersion'), newMeta.resourceVersion ?? '', 'must be specified for an update'),
    )
  if ((newMeta.generation ?? 0) < (oldMeta.generation ?? 0))
    errs.push(invalidValue(path.child('generation'), newMeta.generation ?? 0, 'must not be decremented'))
  errs.push(...immutable(newMeta.name ?? '', oldMeta.name ?? '', path.child('name')))
  errs.push(...immutable(newMeta.namespace ?? '', oldMeta.namespace ?? '', path.child('namespace')))
  errs.push(...immutable(newMeta.uid ?? '', oldMeta.uid ?? '', path.child('uid')))
  errs.push(...immutable(newMeta.creationTimestamp, oldMeta.creationTimestamp, path.child('creationTimestamp')))
  errs.push(...immutable(newMeta.deletionTimestamp, oldMeta.deletionTimestamp, path.child('deletionTimestamp')))
  errs.push(
    ...immutable(
      newMeta.deletionGracePeriodSeconds,
      oldMeta.deletionGracePeriodSeconds,
      path.child('deletionGracePeriodSeconds'),
    ),
  )
  errs.push(...validateCommon(newMeta, path))
  errs.push(...validateManagedFields(newMeta.managedFields, path.child('managedFields')))
  if (opts.coreFinalizers !== false)
    errs.push(...validateKubeFinalizerNames(newMeta.finalizers, path.child('finalizers')))
  return errs
}
