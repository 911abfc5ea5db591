/**
 * The image store's contract with the runtimes (runc, process): what an image name resolves to
 * (a root filesystem source plus the OCI config subset petset honours). Types only: no I/O.
 * The runtimes consume these; the store (`store.ts`) produces them.
 */

/** The OCI image config subset petset honours (`config` of an OCI/docker image config). */
export interface ImageConfig {
  entrypoint?: string[]
  cmd?: string[]
  /** "K=V" entries, image order. */
  env?: string[]
  workingDir?: string
  /** "name", "uid", "uid:gid" or "name:group", as in the image config. */
  user?: string
  /** Container ports the image declares (TCP and UDP alike; the protocol is dropped). */
  exposedPorts?: number[]
}

/** A file or directory the image adds to the container's writable rootfs (copied per container). */
export interface HostFile {
  /** Absolute path inside the container; never under /usr or /etc (those are read-only binds). */
  path: string
  /** The source on the host: a file, or a directory copied recursively (symlinks kept as symlinks). */
  hostPath: string
  /** Mode of a file (default: the source's). */
  mode?: number
}

/** A directory bound into the container at a path (mounted after the /usr and /etc binds). */
export interface HostDir {
  /** Absolute path inside the container; when under /usr or /etc the mountpoint exists on the host. */
  path: string
  /** The image's content for that directory. */
  hostPath: string
  /**
   * true: the runtime binds a per-container copy of hostPath read-write (the container may write,
   * as with copy-on-write layers; the source is never modified); false: hostPath itself, read-only.
   */
  writable: boolean
}

/** Where a container's root filesystem comes from. */
export type RootfsSource =
  | {
      /**
       * The host's Debian userland: /usr and /etc bound read-only (plus the merged-usr symlinks
       * bin, sbin, lib, lib64), a writable scratch rootfs for the rest (runc-notes §3), then:
       */
      kind: 'host'
      /** Image-specific files laid into the writable rootfs (app scripts, entrypoints). */
      files: HostFile[]
      /** Image content over the read-only binds (e.g. /etc/nginx, /usr/share/nginx/html). */
      dirs: HostDir[]
      /** Directories that must exist and be writable (e.g. /var/lib/nginx, /var/log/nginx). */
      writableDirs: string[]
    }
  | {
      /** A loaded image: unpacked layers, whiteouts already converted to overlayfs form. */
      kind: 'layers'
      /**
       * Unpacked layer directories, lowest first (overlayfs takes them reversed as lowerdir).
       * Whiteouts are 0/0 character devices and opaque directories carry the
       * `trusted.overlay.opaque=y` xattr, so an overlay mount honours them as they are.
       */
      layers: string[]
    }

/** An image name resolved to something a runtime can run. */
export interface ResolvedImage {
  /** The normalized name, e.g. "docker.io/library/nginx:1.9.1". */
  name: string
  /** "sha256:<hex>": the image config digest (built-ins: a stable digest of their definition). */
  id: string
  /** "<repository>@sha256:<hex>": the container status' imageID (RuntimeContainerStatus.imageRef). */
  ref: string
  rootfs: RootfsSource
  config: ImageConfig
  /** True for the images petset generates from the host (nginx, busybox, ...). */
  builtIn: boolean
}

/** One line of `petset image ls`. */
export interface ImageSummary {
  name: string
  id: string
  /** Bytes on disk (unpacked layers; built-ins: their generated files only). */
  size: number
  builtIn: boolean
}

/** Resolves image names for the runtimes and loads image archives; backed by files (no daemon). */
export interface ImageStore {
  /** The image to run for a pod's `image:`; rejects ImagePullError (from ../runtime.ts) when unknown or unusable. */
  resolve(image: string): Promise<ResolvedImage>
  /** Loads an OCI image layout or `docker save` archive (a tar file); resolves with the names it tagged. */
  load(file: string): Promise<string[]>
  /** Every loaded image (one row per name) and every built-in. */
  list(): Promise<ImageSummary[]>
}
