/**
 * Container paths on a runtime without a mount namespace: the process runtime cannot put a
 * volume at `/var/data`, so it rewrites container paths it knows (volume mounts, image files and
 * directories) into their host paths wherever they appear whole: argv words, `--flag=/path`
 * values, environment values and the working directory. Pure.
 */
import { posix } from 'node:path'

/** One container path and where it lives on the host. */
export interface PathMapping {
  containerPath: string
  hostPath: string
}

const trimSlash = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p)

/** Translates container paths into host paths (longest container path wins). */
export class PathTranslator {
  private readonly mappings: PathMapping[]

  constructor(mappings: PathMapping[]) {
    this.mappings = mappings
      .map(m => ({ containerPath: trimSlash(m.containerPath), hostPath: trimSlash(m.hostPath) }))
      .filter(m => m.containerPath.startsWith('/') && m.containerPath !== '/')
      .sort((a, b) => b.containerPath.length - a.containerPath.length)
  }

  /** The host path of an absolute container path under a mapping, else the path unchanged. */
  path(p: string): string {
    for (const m of this.mappings) {
      if (p === m.containerPath) return m.hostPath
      if (p.startsWith(`${m.containerPath}/`)) return m.hostPath + p.slice(m.containerPath.length)
    }
    return p
  }

  /**
   * A word of argv or an env value: a whole path, or the value of `--flag=/path` / `KEY=/path`.
   * With cwd (a container path), a relative word naming a mapped path is translated too
   * (`node app.js` in `/`, where the image put `/app.js`).
   */
  word(w: string, cwd?: string): string {
    if (w.startsWith('/')) return this.path(w)
    const m = /^([\w.-]+=|--?[\w.-]+=)(\/.*)$/.exec(w)
    if (m) return m[1]! + this.path(m[2]!)
    if (cwd && w && !w.startsWith('-') && !w.includes('=')) {
      const abs = posix.join(cwd, w)
      const host = this.path(abs)
      if (host !== abs) return host
    }
    return w
  }
}
