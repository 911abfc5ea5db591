/**
 * String-format checks from apimachinery's util/validation (Kubernetes 1.32): DNS labels and
 * subdomains, qualified names, label values, port names, IPs, env var names, config keys.
 * Each check returns upstream's message strings (empty when valid), because kubectl prints them
 * verbatim inside field errors. Pure: no I/O.
 */

const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?'
const dns1123LabelErrMsg =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`
const dns1123SubdomainErrMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"
const dns1035LabelFmt = '[a-z]([-a-z0-9]*[a-z0-9])?'
const dns1035LabelErrMsg =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character"
const qnameCharFmt = '[A-Za-z0-9]'
const qnameExtCharFmt = '[-A-Za-z0-9_.]'
const qualifiedNameFmt = `(${qnameCharFmt}${qnameExtCharFmt}*)?${qnameCharFmt}`
const qualifiedNameErrMsg =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
const labelValueFmt = `(${qualifiedNameFmt})?`
const labelValueErrMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
const cIdentifierFmt = '[A-Za-z_][A-Za-z0-9_]*'
const cIdentifierErrMsg =
  "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_'"
const envVarNameFmt = '[-._a-zA-Z][-._a-zA-Z0-9]*'
const envVarNameErrMsg =
  "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit"
const configMapKeyFmt = '[-._a-zA-Z0-9]+'
const configMapKeyErrMsg = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"
const httpHeaderNameFmt = '[-A-Za-z0-9]+'
const httpHeaderNameErrMsg = "a valid HTTP header must consist of alphanumeric characters or '-'"
const percentFmt = '[0-9]+%'
const percentErrMsg = "a valid percent string must be a numeric string followed by an ending '%'"

const whole = (fmt: string) => new RegExp(`^${fmt}$`)
const dns1123LabelRe = whole(dns1123LabelFmt)
const dns1123SubdomainRe = whole(dns1123SubdomainFmt)
const dns1035LabelRe = whole(dns1035LabelFmt)
const qualifiedNameRe = whole(qualifiedNameFmt)
const labelValueRe = whole(labelValueFmt)
const cIdentifierRe = whole(cIdentifierFmt)
const envVarNameRe = whole(envVarNameFmt)
const configMapKeyRe = whole(configMapKeyFmt)
const httpHeaderNameRe = whole(httpHeaderNameFmt)
const percentRe = whole(percentFmt)

/** RFC 1123 label limit; also the limit for label values and the name part of qualified names. */
export const DNS1123LabelMaxLength = 63
/** RFC 1123 subdomain limit. */
export const DNS1123SubdomainMaxLength = 253
/** RFC 1035 label limit. */
export const DNS1035LabelMaxLength = 63
/** Label value limit. */
export const LabelValueMaxLength = 63

/** Go's len(): the byte length of a string in UTF-8, which is what every upstream limit counts. */
export function byteLength(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) n += 1
    else if (c < 0x800) n += 2
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4
      i++
    } else n += 3
  }
  return n
}

/** validation.MaxLenError: `must be no more than N characters`. */
export const maxLenError = (length: number) => `must be no more than ${length} characters`

/** validation.RegexError: the message, examples, then the regex, with upstream's odd spacing. */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`
  return `${msg} (e.g. ${examples.map(e => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`
}

/** validation.EmptyError. */
export const emptyError = () => 'must be non-empty'

/** validation.InclusiveRangeError. */
export const inclusiveRangeError = (lo: number, hi: number) => `must be between ${lo} and ${hi}, inclusive`

/** IsDNS1123Label: lower-case alphanumerics and '-', at most 63 characters. */
export function isDNS1123Label(value: string): string[] {
  const errs: string[] = []
  if (byteLength(value) > DNS1123LabelMaxLength) errs.push(maxLenError(DNS1123LabelMaxLength))
  if (!dns1123LabelRe.test(value)) {
    // A valid subdomain that is not a label can only be failing on its dots.
    if (dns1123SubdomainRe.test(value)) errs.push('must not contain dots')
    else errs.push(regexError(dns1123LabelErrMsg, dns1123LabelFmt, 'my-name', '123-abc'))
  }
  return errs
}

/** IsDNS1123Subdomain: dot-separated DNS labels, at most 253 characters. */
export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = []
  if (byteLength(value) > DNS1123SubdomainMaxLength) errs.push(maxLenError(DNS1123SubdomainMaxLength))
  if (!dns1123SubdomainRe.test(value)) errs.push(regexError(dns1123SubdomainErrMsg, dns1123SubdomainFmt, 'example.com'))
  return errs
}

/** IsDNS1035Label: like a DNS-1123 label but must start with a letter (Service names). */
export function isDNS1035Label(value: string): string[] {
  const errs: string[] = []
  if (byteLength(value) > DNS1035LabelMaxLength) errs.push(maxLenError(DNS1035LabelMaxLength))
  if (!dns1035LabelRe.test(value)) errs.push(regexError(dns1035LabelErrMsg, dns1035LabelFmt, 'my-name', 'abc-123'))
  return errs
}

/** IsQualifiedName: `[prefix/]name`, prefix a DNS subdomain, name at most 63 characters (label keys). */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = []
  const parts = value.split('/')
  let name: string
  if (parts.length === 1) name = parts[0]!
  else if (parts.length === 2) {
    const prefix = parts[0]!
    name = parts[1]!
    if (prefix.length === 0) errs.push(`prefix part ${emptyError()}`)
    else for (const m of isDNS1123Subdomain(prefix)) errs.push(`prefix part ${m}`)
  } else {
    errs.push(
      `a qualified name ${regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc')}` +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    )
    return errs
  }
  if (name.length === 0) errs.push(`name part ${emptyError()}`)
  else if (byteLength(name) > DNS1123LabelMaxLength) errs.push(`name part ${maxLenError(DNS1123LabelMaxLength)}`)
  if (!qualifiedNameRe.test(name))
    errs.push(`name part ${regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc')}`)
  return errs
}

/** IsValidLabelValue: empty, or a qualified-name-shaped string of at most 63 characters. */
export function isValidLabelValue(value: string): string[] {
  const errs: string[] = []
  if (byteLength(value) > LabelValueMaxLength) errs.push(maxLenError(LabelValueMaxLength))
  if (!labelValueRe.test(value)) errs.push(regexError(labelValueErrMsg, labelValueFmt, 'MyValue', 'my_value', '12345'))
  return errs
}

/** IsValidPortName: IANA_SVC_NAME, at most 15 characters with at least one letter. */
export function isValidPortName(port: string): string[] {
  const errs: string[] = []
  if (byteLength(port) > 15) errs.push(maxLenError(15))
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)')
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)')
  if (port.includes('--')) errs.push('must not contain consecutive hyphens')
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) errs.push('must not begin or end with a hyphen')
  return errs
}

/** IsValidPortNum: 1..65535. */
export function isValidPortNum(port: number): string[] {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)]
}

/** IsValidPercent: digits followed by '%'. */
export function isValidPercent(percent: string): string[] {
  return percentRe.test(percent) ? [] : [regexError(percentErrMsg, percentFmt, '1%', '93%')]
}

/** IsCIdentifier: a C identifier (no length limit). */
export function isCIdentifier(value: string): string[] {
  return cIdentifierRe.test(value)
    ? []
    : [regexError(cIdentifierErrMsg, cIdentifierFmt, 'my_name', 'MY_NAME', 'MyName')]
}

function chDirPrefix(value: string): string[] {
  if (value === '.') return ["must not be '.'"]
  if (value === '..') return ["must not be '..'"]
  if (value.startsWith('..')) return ["must not start with '..'"]
  return []
}

/** IsEnvVarName: the strict (non-relaxed) environment variable name rule. */
export function isEnvVarName(value: string): string[] {
  const errs: string[] = []
  if (!envVarNameRe.test(value))
    errs.push(regexError(envVarNameErrMsg, envVarNameFmt, 'my.env-name', 'MY_ENV.NAME', 'MyEnvName1'))
  return errs.concat(chDirPrefix(value))
}

/** IsConfigMapKey: a key in a ConfigMap or Secret (also usable as a file name). */
export function isConfigMapKey(value: string): string[] {
  const errs: string[] = []
  if (byteLength(value) > DNS1123SubdomainMaxLength) errs.push(maxLenError(DNS1123SubdomainMaxLength))
  if (!configMapKeyRe.test(value))
    errs.push(regexError(configMapKeyErrMsg, configMapKeyFmt, 'key.name', 'KEY_NAME', 'key-name'))
  return errs.concat(chDirPrefix(value))
}

/** IsHTTPHeaderName: Go's net/http header name subset. */
export function isHTTPHeaderName(value: string): string[] {
  return httpHeaderNameRe.test(value) ? [] : [regexError(httpHeaderNameErrMsg, httpHeaderNameFmt, 'X-Header-Name')]
}

/** Parses an IPv4 address the way Go's ParseIPSloppy does (leading zeros allowed, read as decimal). */
function isIPv4(s: string): boolean {
  const parts = s.split('.')
  if (parts.length !== 4) return false
  return parts.every(p => /^[0-9]+$/.test(p) && Number(p) <= 255)
}

function isIPv6(s: string): boolean {
  if (!s.includes(':') || s.includes('%')) return false // zones are not IPs to Kubernetes
  // An embedded IPv4 tail counts as two 16-bit groups.
  const lastColon = s.lastIndexOf(':')
  const tail = s.slice(lastColon + 1)
  if (tail.includes('.')) {
    if (!isIPv4(tail)) return false
    s = `${s.slice(0, lastColon + 1)}0:0`
  }
  const halves = s.split('::')
  if (halves.length > 2) return false
  const groups = (h: string) => (h === '' ? [] : h.split(':'))
  const all = [...groups(halves[0]!), ...(halves.length === 2 ? groups(halves[1]!) : [])]
  if (!all.every(g => /^[0-9a-fA-F]{1,4}$/.test(g))) return false
  return halves.length === 2 ? all.length < 8 : all.length === 8
}

/** IsValidIP (1.32, sloppy parsing): an IPv4 or IPv6 address. */
export function isValidIP(value: string): string[] {
  return isIPv4(value) || isIPv6(value) ? [] : ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']
}

/** A ValidateNameFunc: `prefix` is true for generateName, whose trailing '-' is masked first. */
export type ValidateNameFunc = (name: string, prefix: boolean) => string[]

/**
 * maskTrailingDash as upstream writes it: a trailing '-' replaces the last TWO characters with 'a'
 * (`name[:len(name)-2] + "a"`). NOTE: upstream panics on the one-character name "-"; we map it to "a".
 */
export function maskTrailingDash(name: string): string {
  if (!name.endsWith('-')) return name
  return name.length >= 2 ? `${name.slice(0, -2)}a` : 'a'
}

/** NameIsDNSSubdomain: the name rule of most kinds (StatefulSet, ConfigMap, PVC, ...). */
export const nameIsDNSSubdomain: ValidateNameFunc = (name, prefix) =>
  isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name)

/** NameIsDNSLabel: the name rule of Namespaces and other DNS-label-named kinds. */
export const nameIsDNSLabel: ValidateNameFunc = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name)

/** NameIsDNS1035Label: the name rule of Services. */
export const nameIsDNS1035Label: ValidateNameFunc = (name, prefix) =>
  isDNS1035Label(prefix ? maskTrailingDash(name) : name)

/** ValidateNamespaceName. */
export const validateNamespaceName: ValidateNameFunc = nameIsDNSLabel
