/**
 * Background work of a node: {@link io.rowstream.background.BackgroundLoop}, the one way a periodic
 * task runs (the cluster tick, log maintenance, the group reaper, the slow-request check): a thread
 * of its own, passes a delay apart, a failed pass logged and the next one run, and a stop bounded
 * in time. Uses nothing of the broker's.
 */
package io.rowstream.background;
