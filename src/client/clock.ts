/**
 * The client's clock is the machinery Clock (injected time, C11); re-exported here so client
 * users need not know where it lives.
 */
export { type Clock, FakeClock, realClock, type Timer } from '../machinery/clock.js'
