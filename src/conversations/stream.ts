/**
 * The live channel: `GET /v1/conversations/{id}/stream` as server-sent events. Chosen over WebSocket
 * because it needs no dependency, passes every proxy as plain HTTP, and carries the same
 * Authorization and X-Conversation-Token headers as every other call (the browser reads it with
 * fetch, not EventSource, which cannot send headers; tokens never go into URLs and logs). Writes stay
 * plain POSTs, idempotent like every mutation.
 *
 * Events: `message` (one per message, `id:` its seq, so a reconnect resumes with Last-Event-ID or
 * `?after=`) and `conversation` (the state, whenever its version changes); a comment every 15 s keeps
 * idle connections open through proxies.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import { AppError } from '../platform/http/problems.js';
import type { ConversationsService } from './service.js';

const HEARTBEAT_MS = 15_000;
/** Open streams one process holds at most (each is a socket and a timer); more answer 503, retried elsewhere. */
export const MAX_STREAMS = 5000;

export class Streams {
  private readonly open = new Set<ServerResponse>();

  constructor(private readonly service: ConversationsService) {}

  /** Ends every open stream (the server is closing: readers reconnect elsewhere). */
  endAll(): void {
    for (const res of this.open) res.end();
    this.open.clear();
  }

  async serve(req: FastifyRequest, reply: FastifyReply, id: string, token: string | undefined, after: number) {
    const row = await this.service.authorize(req.principal, id, token, 'read');
    if (this.open.size >= MAX_STREAMS)
      throw new AppError('unavailable', `this process holds ${MAX_STREAMS} live streams: reconnect in a moment`);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
      'x-request-id': req.id,
    });
    this.open.add(res);
    let last = after;
    let version = -1;
    let busy = false;
    let again = false;
    let ended = false;
    const write = (chunk: string) => !ended && res.write(chunk);
    const pump = async (): Promise<void> => {
      if (busy) return void (again = true);
      busy = true;
      try {
        do {
          again = false;
          const t = await this.service.changes(id, last);
          for (const m of t.messages) {
            write(`id: ${m.seq}\nevent: message\ndata: ${JSON.stringify(m)}\n\n`);
            last = m.seq;
          }
          if (t.conversation.version !== version) {
            version = t.conversation.version;
            write(`event: conversation\ndata: ${JSON.stringify(t.conversation)}\n\n`);
          }
        } while (again && !ended);
      } catch {
        // Gone (erased) or the database is away: end; the client reconnects and is told why.
        end();
      } finally {
        busy = false;
      }
    };
    const unsubscribe = this.service.live.subscribe(id, row.version, () => void pump());
    const beat = setInterval(() => write(': keep-alive\n\n'), HEARTBEAT_MS).unref();
    const end = () => {
      if (ended) return;
      ended = true;
      clearInterval(beat);
      unsubscribe();
      this.open.delete(res);
      res.end();
    };
    req.raw.on('close', end);
    res.on('close', end);
    write(': connected\n\n');
    await pump();
  }
}
