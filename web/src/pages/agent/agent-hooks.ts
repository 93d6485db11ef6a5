import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';

/** Channels and locations by id, for names (cached: they change rarely). */
export function useChannels() {
  return useQuery({
    queryKey: ['agent', 'channels'],
    queryFn: () => unwrap(api.GET('/v1/channels', { params: { query: { limit: 200 } } })),
    staleTime: 300_000,
  });
}
export function useLocationsById() {
  return useQuery({
    queryKey: ['agent', 'locations'],
    queryFn: () => unwrap(api.GET('/v1/locations', { params: { query: { limit: 200 } } })),
    staleTime: 300_000,
  });
}
export const namesOf = (items: { id: string; name: string }[] | undefined) =>
  new Map((items ?? []).map((x) => [x.id, x.name]));

export const idempotency = () => ({ 'idempotency-key': crypto.randomUUID() });

export const load360 = (id: string) => unwrap(api.GET('/v1/customers/{id}/360', { params: { path: { id } } }));
export type Desk360 = Awaited<ReturnType<typeof load360>>;

/** The whole 360 of a person: one call (GET /v1/customers/{id}/360). */
export function use360(id: string) {
  return useQuery({ queryKey: ['agent', '360', id], queryFn: () => load360(id) });
}

/** Resends one logged message of an order (the API throttles it) and refreshes the order's message log. */
export function useResendNotification(orderId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (logId: string) =>
      unwrap(
        api.POST('/v1/orders/{id}/notifications/{log_id}/resend', {
          params: { path: { id: orderId, log_id: logId } },
          headers: idempotency(),
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['agent', 'notifications', orderId] }),
  });
}
