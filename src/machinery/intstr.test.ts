/** Tests for intstr.ts: upstream's GetScaledValueFromIntOrPercent table and apps validation messages. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { formatFieldErrors, Path } from './field-error.js'
import {
  getIntOrPercentValue,
  getScaledValueFromIntOrPercent,
  type IntOrString,
  isNotMoreThan100Percent,
  isPercent,
  validateNonNegativeIntOrPercent,
} from './intstr.js'

describe('getScaledValueFromIntOrPercent', () => {
  const table: { v: IntOrString; total: number; roundUp: boolean; want: number }[] = [
    { v: 123, total: 0, roundUp: false, want: 123 },
    { v: '90%', total: 100, roundUp: true, want: 90 },
    { v: '90%', total: 95, roundUp: true, want: 86 },
    { v: '90%', total: 95, roundUp: false, want: 85 },
    { v: '25%', total: 3, roundUp: true, want: 1 },
    { v: '25%', total: 3, roundUp: false, want: 0 },
    { v: '0%', total: 10, roundUp: true, want: 0 },
    { v: '100%', total: 7, roundUp: false, want: 7 },
  ]
  for (const { v, total, roundUp, want } of table) {
    test(`${JSON.stringify(v)} of ${total} (roundUp=${roundUp})`, () =>
      assert.equal(getScaledValueFromIntOrPercent(v, total, roundUp), want))
  }

  const errors: { v: IntOrString | undefined; message: string }[] = [
    { v: undefined, message: 'nil value for IntOrString' },
    { v: '90', message: 'invalid value for IntOrString: invalid type: string is not a percentage' },
    {
      v: '%',
      message: 'invalid value for IntOrString: invalid value "%": strconv.Atoi: parsing "": invalid syntax',
    },
    {
      v: 'a%',
      message: 'invalid value for IntOrString: invalid value "a%": strconv.Atoi: parsing "a": invalid syntax',
    },
    {
      v: '99999999999999999999%',
      message:
        'invalid value for IntOrString: invalid value "99999999999999999999%": strconv.Atoi: parsing "99999999999999999999": value out of range',
    },
  ]
  for (const { v, message } of errors) {
    test(`error for ${JSON.stringify(v)}`, () =>
      assert.throws(() => getScaledValueFromIntOrPercent(v, 10, true), { message }))
  }
})

describe('validateNonNegativeIntOrPercent', () => {
  const path = Path.root('spec').child('updateStrategy', 'rollingUpdate', 'maxUnavailable')
  const table: { v: IntOrString | undefined; want: string }[] = [
    { v: 0, want: '' },
    { v: 3, want: '' },
    { v: '50%', want: '' },
    {
      v: -1,
      want: 'spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: -1: must be greater than or equal to 0',
    },
    {
      v: '50',
      want: `spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: "50": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`,
    },
    {
      v: 1.5,
      want: `spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 1.5: must be an integer or percentage (e.g '5%')`,
    },
  ]
  for (const { v, want } of table) {
    test(JSON.stringify(v), () => {
      const errs = validateNonNegativeIntOrPercent(v, path)
      assert.equal(errs.length ? formatFieldErrors(errs) : '', want)
    })
  }
})

describe('percent helpers', () => {
  test('isPercent', () => {
    assert.equal(isPercent('5%'), true)
    assert.equal(isPercent('5'), false)
    assert.equal(isPercent(5), false)
    assert.equal(isPercent(undefined), false)
  })
  test('isNotMoreThan100Percent', () => {
    const p = Path.root('spec').child('maxSurge')
    assert.deepEqual(isNotMoreThan100Percent('100%', p), [])
    assert.deepEqual(isNotMoreThan100Percent(500, p), [])
    assert.equal(
      formatFieldErrors(isNotMoreThan100Percent('101%', p)),
      'spec.maxSurge: Invalid value: "101%": must not be greater than 100%',
    )
  })
  test('getIntOrPercentValue', () => {
    assert.equal(getIntOrPercentValue(4), 4)
    assert.equal(getIntOrPercentValue('30%'), 30)
  })
})
