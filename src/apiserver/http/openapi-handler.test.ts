/**
 * /openapi/v2: an empty gnostic openapi_v2.Document in protobuf, with the content type
 * kube-openapi replies with (kubectl parses it with Go's mime package, which rejects the `@` of the
 * type it asks for).
 */
import assert from 'node:assert/strict'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { test } from 'node:test'
import { emptyOpenApiV2, OpenApiService } from './openapi-handler.js'

test('GET /openapi/v2 answers an empty protobuf document that kubectl can parse', () => {
  let status = 0
  let headers: Record<string, string> = {}
  let body: unknown
  const res = {
    writeHead(code: number, h: Record<string, string>) {
      status = code
      headers = h
      return this
    },
    end(b: unknown) {
      body = b
      return this
    },
  } as unknown as ServerResponse
  new OpenApiService([]).serve({} as IncomingMessage, res, '/openapi/v2', new URL('https://x/openapi/v2'))
  assert.equal(status, 200)
  assert.equal(headers['Content-Type'], 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf')
  assert.doesNotMatch(headers['Content-Type']!, /@/)
  // swagger (1) "2.0", info (2) {title (1) "petset", version (2) "v1.32.0"}: no paths, no definitions.
  assert.equal(
    Buffer.from(body as Buffer).toString('hex'),
    `0a03${Buffer.from('2.0').toString('hex')}1211` +
      `0a06${Buffer.from('petset').toString('hex')}1207${Buffer.from('v1.32.0').toString('hex')}`,
  )
  assert.equal(emptyOpenApiV2, body)
})
