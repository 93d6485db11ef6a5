/**
 * Follows a conversation's live stream (GET /v1/conversations/{id}/stream, server-sent events). Read
 * with fetch rather than EventSource, which cannot send the Authorization and X-Conversation-Token
 * headers (and tokens must not go into URLs). Reconnects after a drop, resuming after the last seq it
 * delivered (Last-Event-ID), so nothing is lost or shown twice. Pure parsing is in `parseEvents`.
 */
export interface SseEvent {
  event: string;
  id?: string;
  data: string;
}

/** Splits complete `\n\n`-terminated blocks off the buffer; returns the events and what remains. */
export function parseEvents(buffer: string): { events: SseEvent[]; rest: string } {
  const events: SseEvent[] = [];
  let rest = buffer.replace(/\r\n/g, '\n');
  let i: number;
  while ((i = rest.indexOf('\n\n')) >= 0) {
    const block = rest.slice(0, i);
    rest = rest.slice(i + 2);
    const ev: SseEvent = { event: 'message', data: '' };
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') ev.event = value;
      else if (field === 'id') ev.id = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length) events.push({ ...ev, data: data.join('\n') });
  }
  return { events, rest };
}

export interface Follow {
  stop(): void;
}

/**
 * Calls `onEvent` for every event; `after()` gives the last seq the caller holds (asked at each
 * (re)connection). Stops on `stop()`, or for good when the server refuses (4xx: gone or not allowed).
 */
export function follow(
  url: string,
  headers: Record<string, string>,
  after: () => number,
  onEvent: (e: SseEvent) => void,
  onRefused: (status: number) => void = () => undefined,
): Follow {
  const ctl = new AbortController();
  let stopped = false;
  const run = async () => {
    let delay = 500;
    while (!stopped) {
      try {
        const res = await fetch(url, {
          headers: { ...headers, accept: 'text/event-stream', 'last-event-id': String(after()) },
          signal: ctl.signal,
        });
        if (res.status >= 400 && res.status < 500) {
          onRefused(res.status);
          return;
        }
        if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
        delay = 500;
        const reader = res.body.getReader();
        const dec = new TextDecoder();
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          const parsed = parseEvents(buf + dec.decode(value, { stream: true }));
          buf = parsed.rest;
          for (const e of parsed.events) onEvent(e);
        }
      } catch {
        if (stopped) return;
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 10_000);
    }
  };
  void run();
  return {
    stop() {
      stopped = true;
      ctl.abort();
    },
  };
}
