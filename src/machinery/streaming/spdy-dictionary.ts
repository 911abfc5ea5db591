/**
 * The SPDY/3 header-compression dictionary (SPDY draft 3, section 2.6.10.1), a fact table.
 * Both zlib contexts of a SPDY/3 or 3.1 connection are primed with it; a wrong byte makes the
 * peer's inflate fail on its first header block ("invalid dictionary"). The bytes match
 * `dictionary[3]` of the npm package spdy-transport
 * (lib/spdy-transport/protocol/spdy/dictionary.js), 1,423 bytes; the unit test pins them by hash.
 * Pure: built once from the two parts the draft defines.
 */

/** Part one: each entry is written as a 4-byte big-endian length followed by the text. */
const lengthPrefixed = [
  'options',
  'head',
  'post',
  'put',
  'delete',
  'trace',
  'accept',
  'accept-charset',
  'accept-encoding',
  'accept-language',
  'accept-ranges',
  'age',
  'allow',
  'authorization',
  'cache-control',
  'connection',
  'content-base',
  'content-encoding',
  'content-language',
  'content-length',
  'content-location',
  'content-md5',
  'content-range',
  'content-type',
  'date',
  'etag',
  'expect',
  'expires',
  'from',
  'host',
  'if-match',
  'if-modified-since',
  'if-none-match',
  'if-range',
  'if-unmodified-since',
  'last-modified',
  'location',
  'max-forwards',
  'pragma',
  'proxy-authenticate',
  'proxy-authorization',
  'range',
  'referer',
  'retry-after',
  'server',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
  'vary',
  'via',
  'warning',
  'www-authenticate',
  'method',
  'get',
  'status',
  '200 OK',
  'version',
  'HTTP/1.1',
  'url',
  'public',
  'set-cookie',
  'keep-alive',
  'origin',
]

/** Part two: raw text with no separators (note: no trailing NUL, unlike SPDY/2's dictionary). */
const rawTail = [
  '100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505',
  '203 Non-Authoritative Information',
  '204 No Content',
  '301 Moved Permanently',
  '400 Bad Request',
  '401 Unauthorized',
  '403 Forbidden',
  '404 Not Found',
  '500 Internal Server Error',
  '501 Not Implemented',
  '503 Service Unavailable',
  'Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT',
  'chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,',
  'text/javascript,publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.',
].join('')

function buildDictionary(): Buffer {
  const parts: Buffer[] = []
  for (const entry of lengthPrefixed) {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(entry.length)
    parts.push(len, Buffer.from(entry, 'latin1'))
  }
  parts.push(Buffer.from(rawTail, 'latin1'))
  return Buffer.concat(parts)
}

/** The SPDY/3 (and 3.1) zlib dictionary. Treat as read-only. */
export const spdy3Dictionary: Buffer = buildDictionary()
