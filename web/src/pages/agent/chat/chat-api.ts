import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import { getToken } from '../../../app/session';
import { useLiveConversation } from '../../shop/live';

/** A fresh Idempotency-Key per mutation, as the rest of the agent's desk sends it. */
export { idempotency as idem } from '../agent-hooks';
export type QueueView = 'waiting' | 'mine' | 'closed';

/** A queue view; refreshed every few seconds (the queue is small; each chat itself is live). */
export function useQueue(view: QueueView) {
  return useQuery({
    queryKey: ['agent', 'chats', view],
    queryFn: () => unwrap(api.GET('/v1/conversations', { params: { query: { view, limit: 50 } } })),
    refetchInterval: 3000,
  });
}

/** A person's transcripts, for their 360. */
export function useTranscripts(customerId: string) {
  return useQuery({
    queryKey: ['agent', 'chats', 'of', customerId],
    queryFn: () => unwrap(api.GET('/v1/conversations', { params: { query: { customer_id: customerId, limit: 20 } } })),
  });
}

/** The conversation as the agent sees it: live from its stream, with the staff token. */
export function useAgentConversation(id: string) {
  const token = getToken();
  const headers = useMemo(() => (token ? { authorization: `Bearer ${token}` } : null), [token]);
  return useLiveConversation(id, headers);
}
