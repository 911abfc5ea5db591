/**
 * Entry point of the container shim (see shim.ts): `node shim-main.js <container dir>`. Started
 * detached by the runtimes; never imported.
 */
import { runShim } from './shim.js'

const dir = process.argv[2]
if (!dir) {
  process.stderr.write('usage: shim-main <container dir>\n')
  process.exit(2)
}
runShim(dir)
