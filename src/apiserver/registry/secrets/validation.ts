/**
 * Secret validation (upstream ValidateSecret / ValidateSecretUpdate, 1.32): keys, the 1 MiB
 * limit, the per-type required keys and the immutability rules. Pure.
 */
import {
  BasicAuthPasswordKey,
  BasicAuthUsernameKey,
  DockerConfigJsonKey,
  DockerConfigKey,
  MaxSecretSize,
  type Secret,
  SecretTypeBasicAuth,
  SecretTypeDockerConfigJson,
  SecretTypeDockercfg,
  SecretTypeServiceAccountToken,
  SecretTypeSSHAuth,
  SecretTypeTLS,
  ServiceAccountNameKey,
  SSHAuthPrivateKey,
  TLSCertKey,
  TLSPrivateKeyKey,
} from '../../../api/core.js'
import { type FieldError, forbiddenField, invalidValue, Path, required } from '../../../machinery/field-error.js'
import { deepEqual } from '../../../machinery/objects.js'
import { isConfigMapKey } from '../../../machinery/validation/names.js'
import { base64DecodedLength } from './base64.js'

/** apimachinery's FieldImmutableErrorMsg. */
export const fieldImmutable = 'field is immutable'

/** field.TooLong as upstream renders it: the value is never printed. */
export const tooLongOmitted = (path: Path | string, max: number): FieldError => ({
  type: 'FieldValueTooLong',
  field: String(path),
  detail: `must have at most ${max} bytes`,
})

/** Go's json.Unmarshal error for a document that must be a JSON object (approximated message). */
export function goJSONObjectError(text: string): string | undefined {
  if (text.trim() === '') return 'unexpected end of JSON input'
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (e) {
    const msg = String((e as Error).message)
    if (/end of JSON input/i.test(msg)) return 'unexpected end of JSON input'
    const token = /Unexpected token '?(.)'?/.exec(msg)?.[1] ?? text.trim()[0]
    return `invalid character '${token}' looking for beginning of value`
  }
  if (parsed === null || (typeof parsed === 'object' && !Array.isArray(parsed))) return undefined
  const kind = Array.isArray(parsed) ? 'array' : typeof parsed === 'boolean' ? 'bool' : typeof parsed
  return `json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`
}

const decode = (b64: string | undefined) => Buffer.from((b64 ?? '').replace(/[\r\n]/g, ''), 'base64')

function validateTypeKeys(secret: Secret, dataPath: Path): FieldError[] {
  const data = secret.data ?? {}
  const has = (k: string) => Object.hasOwn(data, k)
  const jsonKey = (key: string): FieldError[] => {
    if (!has(key)) return [required(dataPath.key(key))]
    const err = goJSONObjectError(decode(data[key]).toString('utf8'))
    return err ? [invalidValue(dataPath.key(key), '<secret contents redacted>', err)] : []
  }
  switch (secret.type) {
    case SecretTypeServiceAccountToken:
      // Only the account name is required; a controller fills uid and token later.
      return secret.metadata.annotations?.[ServiceAccountNameKey]
        ? []
        : [required(Path.root('metadata').child('annotations').key(ServiceAccountNameKey))]
    case SecretTypeDockercfg:
      return jsonKey(DockerConfigKey)
    case SecretTypeDockerConfigJson:
      return jsonKey(DockerConfigJsonKey)
    case SecretTypeBasicAuth:
      if (!has(BasicAuthUsernameKey) && !has(BasicAuthPasswordKey))
        return [required(dataPath.key(BasicAuthUsernameKey)), required(dataPath.key(BasicAuthPasswordKey))]
      return []
    case SecretTypeSSHAuth:
      return decode(data[SSHAuthPrivateKey]).length === 0 ? [required(dataPath.key(SSHAuthPrivateKey))] : []
    case SecretTypeTLS:
      return [
        ...(has(TLSCertKey) ? [] : [required(dataPath.key(TLSCertKey))]),
        ...(has(TLSPrivateKeyKey) ? [] : [required(dataPath.key(TLSPrivateKeyKey))]),
      ]
    default:
      return []
  }
}

/** ValidateSecret without ObjectMeta (the registry validates metadata). */
export function validateSecret(secret: Secret): FieldError[] {
  const errs: FieldError[] = []
  const dataPath = Path.root('data')
  let total = 0
  for (const key of Object.keys(secret.data ?? {}).sort()) {
    for (const msg of isConfigMapKey(key)) errs.push(invalidValue(dataPath.key(key), key, msg))
    total += base64DecodedLength(secret.data![key] ?? '')
  }
  if (total > MaxSecretSize) errs.push(tooLongOmitted(dataPath, MaxSecretSize))
  errs.push(...validateTypeKeys(secret, dataPath))
  return errs
}

/** ValidateSecretUpdate: type is immutable; `immutable: true` freezes data and itself. */
export function validateSecretUpdate(secret: Secret, old: Secret): FieldError[] {
  const errs: FieldError[] = []
  if ((secret.type ?? '') !== (old.type ?? ''))
    errs.push(invalidValue(Path.root('type'), secret.type ?? '', fieldImmutable))
  if (old.immutable) {
    if (!secret.immutable)
      errs.push(forbiddenField(Path.root('immutable'), 'field is immutable when `immutable` is set'))
    if (!deepEqual(secret.data ?? {}, old.data ?? {}))
      errs.push(forbiddenField(Path.root('data'), 'field is immutable when `immutable` is set'))
  }
  return [...errs, ...validateSecret(secret)]
}
