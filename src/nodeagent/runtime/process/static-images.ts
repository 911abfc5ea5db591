/**
 * StaticImageStore: an ImageStore over a fixed table of resolved images, for tests and for
 * wiring a runtime before the real image store is configured. Unknown names reject with the
 * ImagePullError a node without a registry gives.
 */
import { createHash } from 'node:crypto'
import type { ImageConfig, ImageStore, ImageSummary, ResolvedImage, RootfsSource } from '../images/types.js'
import { ImagePullError } from '../runtime.js'

/** A host image (the node's /usr and /etc) running config. */
export function hostImage(name: string, config: ImageConfig = {}, rootfs?: Partial<RootfsSource>): ResolvedImage {
  const digest = createHash('sha256').update(name).digest('hex')
  return {
    name,
    id: `sha256:${digest}`,
    ref: `${name.replace(/:[^/:]*$/, '')}@sha256:${digest}`,
    rootfs: { kind: 'host', files: [], dirs: [], writableDirs: [], ...rootfs } as RootfsSource,
    config,
    builtIn: true,
  }
}

/** Resolves only the images it was given (by exact name). */
export class StaticImageStore implements ImageStore {
  private readonly images = new Map<string, ResolvedImage>()

  constructor(images: ResolvedImage[]) {
    for (const i of images) this.images.set(i.name, i)
  }

  async resolve(image: string): Promise<ResolvedImage> {
    const found = this.images.get(image)
    if (!found)
      throw new ImagePullError(
        image,
        `failed to pull and unpack image "${image}": no registry is configured; load the image with petset image load`,
      )
    return structuredClone(found)
  }

  async load(): Promise<string[]> {
    throw new Error('StaticImageStore cannot load images')
  }

  async list(): Promise<ImageSummary[]> {
    return [...this.images.values()].map(i => ({ name: i.name, id: i.id, size: 0, builtIn: i.builtIn }))
  }
}
