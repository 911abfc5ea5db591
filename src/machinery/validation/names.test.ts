/** Tests for names.ts: valid and invalid values with upstream's exact messages. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  isCIdentifier,
  isConfigMapKey,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isEnvVarName,
  isHTTPHeaderName,
  isQualifiedName,
  isValidIP,
  isValidLabelValue,
  isValidPercent,
  isValidPortName,
  isValidPortNum,
  maskTrailingDash,
  nameIsDNS1035Label,
  nameIsDNSLabel,
  nameIsDNSSubdomain,
} from './names.js'

const labelMsg =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
const subdomainMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
const dns1035Msg =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
const qnameNameMsg =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
const qnameWholeMsg =
  "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
const labelValueMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"

type Case = [string, string[]]
function runTable(name: string, fn: (v: string) => string[], table: Case[]) {
  describe(name, () => {
    for (const [v, want] of table) test(JSON.stringify(v), () => assert.deepEqual(fn(v), want))
  })
}

runTable('isDNS1123Label', isDNS1123Label, [
  ['a', []],
  ['ab-c', []],
  ['0', []],
  ['a'.repeat(63), []],
  ['a'.repeat(64), ['must be no more than 63 characters']],
  ['a.b', ['must not contain dots']],
  ['', [labelMsg]],
  ['A', [labelMsg]],
  ['-a', [labelMsg]],
  ['a-', [labelMsg]],
  ['a_b', [labelMsg]],
  [`${'a'.repeat(64)}_`, ['must be no more than 63 characters', labelMsg]],
])

runTable('isDNS1123Subdomain', isDNS1123Subdomain, [
  ['a.b.c', []],
  ['web-0.nginx', []],
  ['a'.repeat(253), []],
  ['a'.repeat(254), ['must be no more than 253 characters']],
  ['', [subdomainMsg]],
  ['a..b', [subdomainMsg]],
  ['Web', [subdomainMsg]],
  ['a.', [subdomainMsg]],
])

runTable('isDNS1035Label', isDNS1035Label, [
  ['nginx', []],
  ['a-1', []],
  ['1a', [dns1035Msg]],
  ['a.b', [dns1035Msg]],
  ['a'.repeat(64), ['must be no more than 63 characters']],
])

runTable('isQualifiedName', isQualifiedName, [
  ['app', []],
  ['app.kubernetes.io/name', []],
  ['A_b.C-9', []],
  ['a/b/c', [qnameWholeMsg]],
  ['/a', ['prefix part must be non-empty']],
  ['a/', ['name part must be non-empty', qnameNameMsg]],
  ['', ['name part must be non-empty', qnameNameMsg]],
  ['app:', [qnameNameMsg]],
  [
    'App.io/x',
    [
      "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ],
  ],
  ['a'.repeat(64), ['name part must be no more than 63 characters']],
])

runTable('isValidLabelValue', isValidLabelValue, [
  ['', []],
  ['v1.2_x-y', []],
  ['a'.repeat(63), []],
  ['a'.repeat(64), ['must be no more than 63 characters']],
  ['-a', [labelValueMsg]],
  ['a b', [labelValueMsg]],
])

runTable('isValidPortName', isValidPortName, [
  ['http', []],
  ['h2-c', []],
  ['a'.repeat(16), ['must be no more than 15 characters']],
  [
    'HTTP',
    [
      'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'must contain at least one letter (a-z)',
    ],
  ],
  ['123', ['must contain at least one letter (a-z)']],
  ['a--b', ['must not contain consecutive hyphens']],
  ['-ab', ['must not begin or end with a hyphen']],
  [
    '',
    [
      'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'must contain at least one letter (a-z)',
    ],
  ],
])

runTable('isCIdentifier', isCIdentifier, [
  ['_a1', []],
  [
    '1a',
    [
      "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_' (e.g. 'my_name',  or 'MY_NAME',  or 'MyName', regex used for validation is '[A-Za-z_][A-Za-z0-9_]*')",
    ],
  ],
])

const envMsg =
  "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"
runTable('isEnvVarName', isEnvVarName, [
  ['MY_VAR', []],
  ['my.env-name', []],
  ['1A', [envMsg]],
  ['.', ["must not be '.'"]],
  ['..', ["must not be '..'"]],
  ['..a', ["must not start with '..'"]],
])

const keyMsg =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
runTable('isConfigMapKey', isConfigMapKey, [
  ['index.html', []],
  ['a/b', [keyMsg]],
  ['', [keyMsg]],
  ['..data', ["must not start with '..'"]],
  ['a'.repeat(254), ['must be no more than 253 characters']],
])

runTable('isHTTPHeaderName', isHTTPHeaderName, [
  ['X-Header-Name', []],
  [
    'X_Header',
    [
      "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')",
    ],
  ],
])

const ipMsg = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'
runTable('isValidIP', isValidIP, [
  ['10.9.8.7', []],
  ['010.009.008.007', []],
  ['2001:db8::ffff', []],
  ['::', []],
  ['::ffff:1.2.3.4', []],
  ['1:2:3:4:5:6:7:8', []],
  ['1:2:3:4:5:6:7::', []],
  ['', [ipMsg]],
  ['1.2.3', [ipMsg]],
  ['256.1.1.1', [ipMsg]],
  ['1:2:3:4:5:6:7:8:9', [ipMsg]],
  ['1::2::3', [ipMsg]],
  ['1:2:3:4:5:6:7:8::', [ipMsg]],
  ['fe80::1%eth0', [ipMsg]],
  ['example.com', [ipMsg]],
])

runTable('isValidPercent', isValidPercent, [
  ['5%', []],
  [
    '5',
    [
      "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
    ],
  ],
])

describe('isValidPortNum', () => {
  test('range', () => {
    assert.deepEqual(isValidPortNum(1), [])
    assert.deepEqual(isValidPortNum(65535), [])
    assert.deepEqual(isValidPortNum(0), ['must be between 1 and 65535, inclusive'])
  })
})

describe('ValidateNameFuncs', () => {
  const table: { name: string; prefix: boolean; fn: typeof nameIsDNSSubdomain; want: string[] }[] = [
    { name: 'web', prefix: false, fn: nameIsDNSSubdomain, want: [] },
    { name: 'web-', prefix: true, fn: nameIsDNSSubdomain, want: [] },
    { name: 'web-', prefix: false, fn: nameIsDNSSubdomain, want: [subdomainMsg] },
    { name: 'a.b-', prefix: true, fn: nameIsDNSSubdomain, want: [] },
    { name: 'web.x', prefix: false, fn: nameIsDNSLabel, want: ['must not contain dots'] },
    { name: 'ns-', prefix: true, fn: nameIsDNSLabel, want: [] },
    { name: '1svc', prefix: false, fn: nameIsDNS1035Label, want: [dns1035Msg] },
    { name: 'svc-', prefix: true, fn: nameIsDNS1035Label, want: [] },
  ]
  for (const { name, prefix, fn, want } of table)
    test(`${name} prefix=${prefix}`, () => assert.deepEqual(fn(name, prefix), want))

  test('maskTrailingDash replaces the last two characters, as upstream does', () => {
    assert.equal(maskTrailingDash('foo-'), 'foa')
    assert.equal(maskTrailingDash('a-'), 'a')
    assert.equal(maskTrailingDash('-'), 'a')
    assert.equal(maskTrailingDash('foo'), 'foo')
  })
})
