import { useEffect, useRef, useState } from 'react';
import type { paths } from '../../api/schema';
import { follow } from './sse';

type Transcript = paths['/v1/conversations/{id}']['get']['responses'][200]['content']['application/json'];
export type Conversation = Transcript['conversation'];
export type ChatMessage = Transcript['messages'][number];

/**
 * A conversation kept live from its stream: the stream replays the messages the page does not hold
 * yet and then delivers each new one, so the page needs no other read (a reload starts from seq 0,
 * a reconnect after the last seq shown). Sent messages arrive through the stream too: one source.
 */
export function useLiveConversation(id: string | null, headers: Record<string, string> | null) {
  const [conversation, setConversation] = useState<Conversation | null>(null);
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [refused, setRefused] = useState<number | null>(null);
  const last = useRef(0);
  const headerKey = headers ? JSON.stringify(headers) : '';
  useEffect(() => {
    if (!id || !headers) return;
    last.current = 0;
    setMessages([]);
    setConversation(null);
    setRefused(null);
    const f = follow(
      `${location.origin}/v1/conversations/${encodeURIComponent(id)}/stream`,
      headers,
      () => last.current,
      (e) => {
        if (e.event === 'message') {
          const m = JSON.parse(e.data) as ChatMessage;
          if (m.seq <= last.current) return;
          last.current = m.seq;
          setMessages((ms) => [...ms, m]);
        } else if (e.event === 'conversation') setConversation(JSON.parse(e.data) as Conversation);
      },
      setRefused,
    );
    return () => f.stop();
    // Headers are compared by value (headerKey): a new object each render must not reconnect.
  }, [id, headerKey]);
  return { conversation, messages, refused };
}
