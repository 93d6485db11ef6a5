import { describe, expect, it } from 'vitest';
import { parseEvents } from './sse';

describe('server-sent events parsing', () => {
  it('splits complete events, keeps the unfinished tail, skips comments', () => {
    const { events, rest } = parseEvents(
      ': connected\n\nid: 1\nevent: message\ndata: {"seq":1}\n\nevent: conversation\ndata: {"v"',
    );
    expect(events).toEqual([{ event: 'message', id: '1', data: '{"seq":1}' }]);
    expect(rest).toBe('event: conversation\ndata: {"v"');
    const next = parseEvents(rest + ':2}\n\n');
    expect(next.events).toEqual([{ event: 'conversation', data: '{"v":2}' }]);
    expect(next.rest).toBe('');
  });
  it('joins multi-line data and reads CRLF streams', () => {
    expect(parseEvents('data: a\r\ndata: b\r\n\r\n').events).toEqual([{ event: 'message', data: 'a\nb' }]);
  });
});
