import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client';
import { useIdempotentMutation } from '../../../ui/idempotent';
import type { paths } from '../../../api/schema';

export type ActionBody = NonNullable<
  paths['/v1/fulfillments/{id}/actions']['post']['requestBody']
>['content']['application/json'];

/** The task's work sheet (one call renders the task page). */
export function useSheet(id: string) {
  return useQuery({
    queryKey: ['store-task', id],
    queryFn: () => unwrap(api.GET('/v1/fulfillments/{id}/sheet', { params: { path: { id } } })),
  });
}

/**
 * A task action through sendIdempotent: one Idempotency-Key per (task, action, body) kept until the
 * server answers for good, so a double tap or a dropped connection never acts twice.
 */
export function useTaskAction(id: string, onDone?: (answer: Awaited<ReturnType<typeof postAction>>) => void) {
  const qc = useQueryClient();
  return useIdempotentMutation({
    op: (body: ActionBody) => `task:${id}:${body.action}:${JSON.stringify(body)}`,
    send: (body: ActionBody, headers) => postAction(id, body, headers),
    onSuccess: async (answer) => {
      onDone?.(answer);
      await qc.invalidateQueries({ queryKey: ['store-task', id] });
      await qc.invalidateQueries({ queryKey: ['store-queue'] });
    },
  });
}

function postAction(id: string, body: ActionBody, headers: { 'Idempotency-Key': string }) {
  return unwrap(api.POST('/v1/fulfillments/{id}/actions', { params: { path: { id } }, body, headers }));
}

/** Sends the pickup notification again (idempotent per tap: one key until answered). */
export function useResend(id: string) {
  const qc = useQueryClient();
  return useIdempotentMutation({
    op: (lastNotified: string) => `task:${id}:resend:${lastNotified}`,
    send: (_lastNotified: string, headers) =>
      unwrap(api.POST('/v1/fulfillments/{id}/pickup-notification', { params: { path: { id } }, headers })),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['store-task', id] });
    },
  });
}
