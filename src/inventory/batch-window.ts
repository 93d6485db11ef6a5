/**
 * When the hot-SKU batcher (batcher.ts) starts a batch. Pure: the counts come in as arguments.
 *
 * A channel's requests queue while its batches are in flight. A lone request with nothing in
 * flight goes at once (no added latency when idle). A second batch beside a running one used to
 * start as soon as one request was queued: under a steady load (64 clients) the batches then
 * alternated large and tiny — 213 of 257 transactions carried one reservation in a 64-client
 * in-process run over 20,000 SKUs, each paying a whole transaction (5–6 statements, a commit) for
 * one row — while a batch's cost per reservation falls with its size. Now a second batch starts
 * only once `MIN_SECOND` requests wait; fewer wait for the running batch, which takes them all
 * when it ends. Two batches in flight still overlap one's SQL with the next one's planning, which
 * a hot SKU needs (its batches queue on one row lock: the next one should be ready when it frees).
 * 12: over HTTP at 64 clients on the 10-million-row bench (docs/scaling.md, "Reservations, fourth
 * session"), 32 cut the spread's CPU most but slowed the hot SKU, 4 helped neither, 12 kept the hot
 * SKU's rate and most of the spread's gain.
 */
export const MAX_INFLIGHT = 2;
export const MIN_SECOND = 12;

/** Whether a batch should start now, with `inFlight` batches of the channel running (not counting it). */
export function startsBatch(inFlight: number, queued: number): boolean {
  if (queued === 0) return false;
  if (inFlight === 0) return true;
  return inFlight < MAX_INFLIGHT && queued >= MIN_SECOND;
}
