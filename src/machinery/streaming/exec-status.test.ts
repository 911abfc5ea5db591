import assert from 'node:assert/strict'
import { test } from 'node:test'
import { exitCodeOf, exitCodeStatus, internalErrorStatus, successStatus } from './exec-status.js'

test('the statuses kubectl reads, byte for byte', () => {
  assert.equal(JSON.stringify(successStatus()), '{"metadata":{},"status":"Success"}')
  assert.equal(
    JSON.stringify(exitCodeStatus(3, ['sh', '-c', 'exit 3'])),
    '{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}',
  )
  assert.equal(
    JSON.stringify(internalErrorStatus('container "nope" not found in pod "web-0"')),
    '{"metadata":{},"status":"Failure","message":"container \\"nope\\" not found in pod \\"web-0\\"","reason":"InternalError","code":500}',
  )
})

test('exit codes come back out of a status', () => {
  assert.equal(exitCodeOf(successStatus()), 0)
  assert.equal(exitCodeOf(exitCodeStatus(42)), 42)
  assert.equal(exitCodeOf(internalErrorStatus('boom')), undefined)
  assert.equal(exitCodeOf(undefined), undefined)
  assert.equal(exitCodeOf({ status: 'Failure', reason: 'NonZeroExitCode', details: {} }), undefined)
})
