/**
 * Test helpers of the runc runtime's tests: whether they can run here, and the host image they
 * run. Imported by tests only.
 */
import { existsSync } from 'node:fs'
import { hostImage, StaticImageStore } from '../process/static-images.js'
import type { ContainerConfig } from '../runtime.js'

/** Why the runc tests cannot run here, if they cannot. */
export const runcUnavailable =
  process.getuid?.() !== 0
    ? 'needs root and runc: not running as root'
    : !existsSync('/usr/sbin/runc')
      ? 'needs root and runc: /usr/sbin/runc is missing'
      : undefined

/** The image the runc tests run: the host userland. */
export const testImages = new StaticImageStore([hostImage('docker.io/library/debian:host', { cmd: ['sh'] })])

/** A container of the test image. */
export const container = (name: string, command: string[], extra: Partial<ContainerConfig> = {}): ContainerConfig => ({
  name,
  image: 'docker.io/library/debian:host',
  command,
  attempt: 0,
  ...extra,
})
