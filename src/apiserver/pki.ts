/**
 * The cluster's PKI: a CA and an API server serving certificate (ECDSA P-256), generated on
 * first start into <data-dir>/pki and reused afterwards, plus the admin bearer token.
 * Private keys are written 0600 and never logged.
 */
import { randomBytes, webcrypto } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'

export interface ServingPki {
  /** PEM of the CA certificate (clients trust it). */
  ca: string
  /** PEM of the serving certificate and its key. */
  cert: string
  key: string
}

const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`
}

/** The names and addresses the serving certificate covers. */
export function servingNames(extra: string[] = []): { dns: string[]; ips: string[] } {
  const dns = new Set([
    'localhost',
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    'kubernetes.default.svc.cluster.local',
    hostname(),
  ])
  const ips = new Set(['127.0.0.1', '::1', '10.96.0.1'])
  for (const e of extra) (/^[\d.]+$|:/.test(e) ? ips : dns).add(e)
  return { dns: [...dns], ips: [...ips] }
}

/** Creates a fresh CA and serving certificate valid for ten years. */
export async function generatePki(extraNames: string[] = []): Promise<ServingPki & { caKey: string }> {
  // Loaded on first start only: a resumed cluster reads its PEM files and skips this cost.
  await import('reflect-metadata') // @peculiar/x509's dependency injector needs it loaded first
  const x509 = await import('@peculiar/x509')
  x509.cryptoProvider.set(webcrypto as Crypto)
  const notBefore = new Date(Date.now() - 60_000)
  const notAfter = new Date(Date.now() + 10 * 365 * 24 * 3600 * 1000)
  const caKeys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(8).toString('hex'),
    name: 'CN=petset-ca',
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  })
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair
  const names = servingNames(extraNames)
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomBytes(8).toString('hex'),
    subject: 'CN=petset-apiserver',
    issuer: caCert.subject,
    notBefore,
    notAfter,
    signingKey: caKeys.privateKey,
    publicKey: keys.publicKey,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...names.dns.map(value => ({ type: 'dns' as const, value })),
        ...names.ips.map(value => ({ type: 'ip' as const, value })),
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  })
  return {
    ca: caCert.toString('pem'),
    caKey: pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', caKeys.privateKey)),
    cert: `${cert.toString('pem')}\n`,
    key: pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)),
  }
}

/** Loads the PKI from dir, generating and saving it on first use. */
export async function loadOrCreatePki(dir: string, extraNames: string[] = []): Promise<ServingPki> {
  const files = {
    ca: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    cert: join(dir, 'apiserver.crt'),
    key: join(dir, 'apiserver.key'),
  }
  if (existsSync(files.ca) && existsSync(files.cert) && existsSync(files.key))
    return {
      ca: readFileSync(files.ca, 'utf8'),
      cert: readFileSync(files.cert, 'utf8'),
      key: readFileSync(files.key, 'utf8'),
    }
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const pki = await generatePki(extraNames)
  writeFileSync(files.ca, pki.ca)
  writeFileSync(files.caKey, pki.caKey, { mode: 0o600 })
  writeFileSync(files.cert, pki.cert)
  writeFileSync(files.key, pki.key, { mode: 0o600 })
  return pki
}

/** Loads the admin token from dir, creating a random one on first use. */
export function loadOrCreateToken(dir: string, name = 'admin.token'): string {
  const file = join(dir, name)
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const token = randomBytes(24).toString('base64url')
  writeFileSync(file, `${token}\n`, { mode: 0o600 })
  return token
}
