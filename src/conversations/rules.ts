/**
 * Pure rules of a conversation: who may move it where, and what a message may hold. No I/O, no clock.
 * Authorization (may this caller reach this conversation at all) is the policy's; these decide what the
 * conversation's state allows once the caller is in.
 */
import type { ConversationStatus, MessageAuthor, QueueView } from './types.js';

export const MAX_BODY = 2000;

export type Refusal = { ok: false; problem: 'invalid_transition' | 'conflict'; detail: string };
export type Step = { ok: true; status: ConversationStatus; assignedTo: string | null; changed: boolean } | Refusal;

export interface State {
  status: ConversationStatus;
  assignedTo: string | null;
}

/** A message's text: trimmed, 1 to 2000 characters, no control characters but line breaks and tabs. */
export function messageBody(raw: string): { ok: true; body: string } | { ok: false; message: string } {
  const body = raw.replace(/\r\n?/g, '\n').trim();
  if (body.length === 0) return { ok: false, message: 'is empty' };
  if (body.length > MAX_BODY) return { ok: false, message: `is longer than ${MAX_BODY} characters` };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(body))
    return { ok: false, message: 'holds control characters' };
  return { ok: true, body };
}

/** An agent takes a waiting conversation; taking one's own again changes nothing; another's is refused. */
export function take(s: State, agent: string): Step {
  if (s.status === 'closed') return { ok: false, problem: 'invalid_transition', detail: 'the conversation is closed' };
  if (s.status === 'open' && s.assignedTo !== agent)
    return { ok: false, problem: 'conflict', detail: 'another agent has taken this conversation' };
  return { ok: true, status: 'open', assignedTo: agent, changed: s.status !== 'open' };
}

/**
 * A message from either side. The shopper writes while it is not closed. An agent writes to a
 * conversation that is theirs, and writing to a waiting one takes it (the shopper sees who answered).
 */
export function post(s: State, author: MessageAuthor, agent: string | null): Step {
  if (s.status === 'closed') return { ok: false, problem: 'invalid_transition', detail: 'the conversation is closed' };
  if (author !== 'agent') return { ok: true, status: s.status, assignedTo: s.assignedTo, changed: false };
  return take(s, agent ?? '');
}

/** A cart is handed over by the agent who holds the conversation (taking it when it waits). */
export const handOver = (s: State, agent: string): Step => take(s, agent);

/** Either side closes; closing a closed one again is a no-op (a retried click). */
export function close(s: State): Step {
  return { ok: true, status: 'closed', assignedTo: s.assignedTo, changed: s.status !== 'closed' };
}

/** Which rows and order a queue view reads: waiting oldest first (served in turn), the rest newest first. */
export function queueFilter(
  view: QueueView,
  me: string,
): { status: ConversationStatus; assignedTo?: string; order: 'asc' | 'desc' } {
  switch (view) {
    case 'waiting':
      return { status: 'waiting', order: 'asc' };
    case 'mine':
      return { status: 'open', assignedTo: me, order: 'desc' };
    case 'closed':
      return { status: 'closed', order: 'desc' };
  }
}
