/**
 * The logger type the client and controllers accept (pino, C10) and the silent default used when
 * the composition root passes none. Never create a second root logger elsewhere: take one and child it.
 */
import { type Logger, pino } from 'pino'

/** The pino logger type every component accepts. */
export type { Logger }

/** A logger that discards everything: the default for libraries and unit tests. */
export const silentLogger: Logger = pino({ level: 'silent' })
