import assert from 'node:assert/strict'
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { createSocket } from 'node:dgram'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import dnsPacket from 'dns-packet'
import { kubiaPeersApp, kubiaPetApp } from './kubia.js'
import { myappEntrypoint, myappIndex } from './nginx.js'

const work = mkdtempSync(join(tmpdir(), 'petset-apps-'))
const children: ChildProcess[] = []
after(() => {
  for (const c of children) c.kill('SIGKILL')
  rmSync(work, { recursive: true, force: true })
})

async function freePort(): Promise<number> {
  const srv = createServer()
  await new Promise<void>(r => srv.listen(0, '127.0.0.1', r))
  const { port } = srv.address() as { port: number }
  await new Promise(r => srv.close(r))
  return port
}

/** Starts an app source as a plain node process; resolves once it accepts requests. */
async function startApp(source: string, env: Record<string, string>): Promise<string> {
  const file = join(work, `app-${children.length}.js`)
  writeFileSync(file, source)
  const port = await freePort()
  const child = spawn(process.execPath, [file], {
    env: { ...process.env, ...env, KUBIA_PORT: String(port) },
    stdio: 'ignore',
  })
  children.push(child)
  const url = `http://127.0.0.1:${port}/`
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(url, { method: 'HEAD' })
      return url
    } catch {
      await new Promise(r => setTimeout(r, 50))
    }
  }
  throw new Error('app did not start')
}

describe('luksa/kubia-pet app', () => {
  it('answers like the book: no data, POST stores, GET shows it', async () => {
    const data = join(work, 'data-0')
    mkdirSync(data)
    const url = await startApp(kubiaPetApp, { KUBIA_DATA_DIR: data, HOSTNAME: 'kubia-0' })
    assert.equal(await (await fetch(url)).text(), "You've hit kubia-0\nData stored on this pod: No data posted yet\n")
    const post = await fetch(url, { method: 'POST', body: 'Hey there! This greeting was submitted to kubia-0.' })
    assert.equal(post.status, 200)
    assert.equal(await post.text(), 'Data stored on pod kubia-0\n')
    assert.equal(readFileSync(join(data, 'kubia.txt'), 'utf8'), 'Hey there! This greeting was submitted to kubia-0.')
    assert.equal(
      await (await fetch(url)).text(),
      "You've hit kubia-0\nData stored on this pod: Hey there! This greeting was submitted to kubia-0.\n",
    )
  })

  it('a new process on the same data dir serves the same data (pod recreated)', async () => {
    const url = await startApp(kubiaPetApp, { KUBIA_DATA_DIR: join(work, 'data-0'), HOSTNAME: 'kubia-0' })
    assert.match(await (await fetch(url)).text(), /Data stored on this pod: Hey there!/)
  })
})

/** A DNS server answering SRV for one name with the given targets. */
async function srvServer(name: string, targets: string[]): Promise<string> {
  const sock = createSocket('udp4')
  sock.on('message', (msg, rinfo) => {
    const q = dnsPacket.decode(msg)
    const question = q.questions?.[0]
    const hit = question?.type === 'SRV' && question.name === name
    const answers = hit
      ? targets.map(t => ({
          type: 'SRV' as const,
          name,
          ttl: 30,
          data: { priority: 0, weight: 50, port: 80, target: t },
        }))
      : []
    const res = dnsPacket.encode({
      id: q.id,
      type: 'response',
      flags: dnsPacket.AUTHORITATIVE_ANSWER | (hit ? 0 : 3),
      questions: q.questions,
      answers,
    })
    sock.send(res, rinfo.port, rinfo.address)
  })
  await new Promise<void>(r => sock.bind(0, '127.0.0.1', r))
  after(() => sock.close())
  return `127.0.0.1:${sock.address().port}`
}

describe('luksa/kubia-pet-peers app', () => {
  it('gathers the data of every SRV peer, reporting unreachable ones', async () => {
    const dns = await srvServer('kubia.default.svc.cluster.local', ['127.0.0.1', 'kubia-9.invalid'])
    const data = join(work, 'data-1')
    mkdirSync(data)
    writeFileSync(join(data, 'kubia.txt'), 'The sun is shining')
    const env = { KUBIA_DATA_DIR: data, HOSTNAME: 'kubia-1', KUBIA_DNS_SERVER: dns }
    const probe = await startApp(kubiaPeersApp, env)
    const port = new URL(probe).port
    // Peers are fetched on KUBIA_PEER_PORT (8080 in pods): point it at the app itself.
    const url = await startApp(kubiaPeersApp, { ...env, KUBIA_PEER_PORT: port })
    assert.equal(await (await fetch(`${url}data`)).text(), 'The sun is shining')
    const body = await (await fetch(url)).text()
    const lines = body.split('\n')
    assert.deepEqual(lines.slice(0, 3), [
      "You've hit kubia-1",
      'Data stored in the cluster:',
      '- 127.0.0.1: The sun is shining',
    ])
    assert.match(lines[3]!, /^- kubia-9\.invalid: Error: getaddrinfo (ENOTFOUND|EAI_AGAIN) kubia-9\.invalid$/)
    const post = await fetch(url, { method: 'POST', body: 'new' })
    assert.equal(await post.text(), 'Data stored on pod kubia-1\n')
  })

  it('says so when the SRV lookup fails', async () => {
    const dns = await srvServer('other.name', [])
    const url = await startApp(kubiaPeersApp, { KUBIA_DATA_DIR: work, HOSTNAME: 'kubia-2', KUBIA_DNS_SERVER: dns })
    const body = await (await fetch(url)).text()
    assert.match(
      body,
      /^You've hit kubia-2\nData stored in the cluster:\nCould not look up DNS SRV records: Error: querySrv ENOTFOUND/,
    )
  })
})

describe('ikubernetes/myapp pages', () => {
  it('the entrypoint writes hostname.html, then execs the command', () => {
    const html = join(work, 'html')
    mkdirSync(html)
    const script = join(work, 'myapp-entrypoint.sh')
    writeFileSync(script, myappEntrypoint, { mode: 0o755 })
    const out = execFileSync(script, ['echo', 'nginx would start'], {
      env: { PATH: process.env.PATH, MYAPP_HTML_DIR: html, HOSTNAME: 'myapp-0' },
      encoding: 'utf8',
    })
    assert.equal(out, 'nginx would start\n')
    assert.equal(readFileSync(join(html, 'hostname.html'), 'utf8'), 'myapp-0\n')
    assert.equal(myappIndex('v2'), 'Hello MyApp | Version: v2 | <a href="hostname.html">Pod Name</a>\n')
  })
})
