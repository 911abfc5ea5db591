/** Tests for quantity.ts, with cases taken from upstream's quantity_test.go tables. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  canonicalizeQuantity,
  compareQuantities,
  errFormatWrong,
  errSuffix,
  isValidQuantity,
  parseQuantity,
  quantityToBytes,
  quantityToMilli,
  scaledValue,
} from './quantity.js'

const formatWrong = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"

describe('parseQuantity: value and format (TestQuantityParse)', () => {
  // [input, exact value as a decimal string, format]
  const table: [string, string, string][] = [
    ['0', '0', 'DecimalSI'],
    ['0n', '0', 'DecimalSI'],
    ['0Ki', '0', 'BinarySI'],
    ['0Ti', '0', 'BinarySI'],
    ['1', '1', 'DecimalSI'],
    ['1Ki', '1024', 'BinarySI'],
    ['8Ki', '8192', 'BinarySI'],
    ['7Mi', String(7 * 1024 * 1024), 'BinarySI'],
    ['5Ti', String(5 * 1024 ** 4), 'BinarySI'],
    ['3Ei', String(3n * 1024n ** 6n), 'BinarySI'],
    ['5n', '5e-9', 'DecimalSI'],
    ['4u', '4e-6', 'DecimalSI'],
    ['3m', '3e-3', 'DecimalSI'],
    ['50k', '5e4', 'DecimalSI'],
    ['40T', '4e13', 'DecimalSI'],
    ['1E', '1e18', 'DecimalSI'],
    ['1E-3', '1e-3', 'DecimalExponent'],
    ['1e3', '1e3', 'DecimalExponent'],
    ['1E18', '1e18', 'DecimalExponent'],
    ['100.035k', '100035', 'DecimalSI'],
    ['0.001', '1e-3', 'DecimalSI'],
    ['0.0005k', '5e-1', 'DecimalSI'],
    ['0.50000', '5e-1', 'DecimalSI'],
    ['0.5e-2', '5e-3', 'DecimalExponent'],
    ['1.3E+6', '13e5', 'DecimalExponent'],
    ['1.7E18', '17e17', 'DecimalExponent'],
    ['9.01', '901e-2', 'DecimalSI'],
    ['6.987654321G', '6987654321', 'DecimalSI'],
    ['1.01E', '101e16', 'DecimalSI'],
    ['3.001n', '4e-9', 'DecimalSI'],
    ['1.1E-9', '2e-9', 'DecimalExponent'],
    ['0.0000000001', '1e-9', 'DecimalSI'],
    ['0.5e-9', '1e-9', 'DecimalExponent'],
    ['0.9n', '1e-9', 'DecimalSI'],
    ['0.00000012345', '124e-9', 'DecimalSI'],
    ['9Ei', '9223372036854775807', 'BinarySI'],
    ['9223372036854775807Ki', '9223372036854775807', 'BinarySI'],
    ['12E', '12e18', 'DecimalSI'],
    ['100.035Ki', '10243584e-2', 'BinarySI'],
    ['0.5Mi', String(0.5 * 1024 * 1024), 'BinarySI'],
    ['0.025Ti', '274877906944e-1', 'BinarySI'],
    ['0.000000000001Ki', '2e-9', 'DecimalSI'],
    ['.001', '1e-3', 'DecimalSI'],
    ['.0001k', '100e-3', 'DecimalSI'],
    ['1.', '1', 'DecimalSI'],
    ['1.G', '1e9', 'DecimalSI'],
  ]
  for (const [input, value, format] of table) {
    for (const sign of ['', '-', '+']) {
      test(`${sign}${input}`, () => {
        const q = parseQuantity(sign + input)
        const want = sign === '-' ? `-${value}` : value
        assert.equal(compareQuantities(q, parseQuantity(want)), 0, `${q} vs ${want}`)
        assert.equal(q.format, format)
      })
    }
  }
})

describe('parseQuantity: errors', () => {
  const table: [string, string][] = [
    ['', formatWrong],
    ['1.1.M', formatWrong],
    ['1+1.0M', formatWrong],
    ['0.1mi', errSuffix],
    ['0.1am', formatWrong],
    ['aoeu', formatWrong],
    ['.5i', errSuffix],
    ['1i', errSuffix],
    ['-3.01i', errSuffix],
    ['-3.01e-', errSuffix],
    [' 1', formatWrong],
    ['1 ', formatWrong],
    ['1Mx', formatWrong],
    ['1e', errSuffix],
    ['1KI', formatWrong],
  ]
  for (const [input, message] of table) {
    test(JSON.stringify(input), () => {
      assert.throws(() => parseQuantity(input), { message })
      assert.equal(isValidQuantity(input), false)
    })
  }
  test('the exported message is upstream ErrFormatWrong', () => assert.equal(errFormatWrong, formatWrong))
})

describe('canonical form (TestQuantityString, TestQuantityParseEmit)', () => {
  // [input, canonical]; inputs equal to their output are kept verbatim by upstream too.
  const table: [string | number, string][] = [
    ['1Gi', '1Gi'],
    ['1024Mi', '1Gi'],
    ['307200Ki', '300Mi'],
    ['1025024Mi', '1001Gi'],
    ['1024Gi', '1Ti'],
    ['1000Mi', '1000Mi'],
    ['1.5Gi', '1536Mi'],
    ['1000M', '1G'],
    ['0.001T', '1G'],
    ['1000000k', '1G'],
    ['1000u', '1m'],
    ['1.08', '1080m'],
    ['1080000000n', '1080m'],
    ['1234567M', '1234567M'],
    ['3k', '3k'],
    ['1025', '1025'],
    ['.001e12', '1e9'],
    ['0.001e0', '1e-3'],
    ['1000e-12', '1e-9'],
    ['80e-3', '80e-3'],
    ['300e6', '300e6'],
    ['00', '0'],
    ['5000m', '5'],
    ['0.5', '500m'],
    ['1000', '1k'],
    ['1500', '1500'],
    ['1.5k', '1500'],
    ['1000m', '1'],
    ['0.1m', '100u'],
    ['.001Ki', '1024m'],
    ['.000001Ki', '1024u'],
    ['.000000001Ki', '1024n'],
    ['.000000000001Ki', '2n'],
    ['1.1Ki', '1126400m'],
    ['9Ei', '9223372036854775807'],
    ['-1.5Gi', '-1536Mi'],
    ['-0', '0'],
    [1.5, '1500m'],
    [2048, '2048'],
    // Upstream keeps a canonical-looking input verbatim, sign and exponent case included.
    ['+1k', '+1k'],
    ['1E3', '1E3'],
    ['1e+3', '1e+3'],
    // NOTE: upstream quirks: no DecimalSI suffix beyond E, and a lone sign parses as zero.
    ['1000E', '1'],
    ['-', '0'],
  ]
  for (const [input, canonical] of table) {
    test(`${JSON.stringify(input)} → ${canonical}`, () => assert.equal(canonicalizeQuantity(input), canonical))
  }
})

describe('compareQuantities (TestQuantityCmp)', () => {
  const table: [string, string, -1 | 0 | 1][] = [
    ['0', '0', 0],
    ['100m', '50m', 1],
    ['50m', '100m', -1],
    ['10000T', '100Gi', 1],
    ['1Gi', '1024Mi', 0],
    ['1G', '1Gi', -1],
    ['-1', '1m', -1],
    ['-2', '-1', -1],
    ['1e-9', '1n', 0],
    ['1e300', '1e299', 1],
  ]
  for (const [a, b, want] of table) {
    test(`${a} vs ${b}`, () => {
      assert.equal(compareQuantities(a, b), want)
      assert.equal(compareQuantities(b, a), -want || 0)
    })
  }
})

describe('values', () => {
  const table: [string, number, number][] = [
    ['1Gi', 1073741824, 1073741824000],
    ['500m', 1, 500],
    ['2', 2, 2000],
    ['1.5', 2, 1500],
    ['-9.01', -10, -9010],
    ['1n', 1, 1],
  ]
  for (const [input, bytes, milli] of table) {
    test(input, () => {
      assert.equal(quantityToBytes(input), bytes)
      assert.equal(quantityToMilli(input), milli)
    })
  }
  test('value is a float in base units', () => {
    assert.equal(parseQuantity('250m').value, 0.25)
    assert.equal(parseQuantity('2Ki').value, 2048)
  })
  test('scaledValue rounds up away from zero (TestQuantityRoundUp)', () => {
    assert.equal(scaledValue(parseQuantity('9.01'), -1), 91n)
    assert.equal(scaledValue(parseQuantity('9.01'), 2), 1n)
    assert.equal(scaledValue(parseQuantity('-9.01'), 0), -10n)
  })
})
