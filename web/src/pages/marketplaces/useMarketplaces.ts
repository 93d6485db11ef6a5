import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';

/** Channels by id (names and codes for the tables, marketplace channels for the form): one call, cached. */
export function useChannels() {
  return useQuery({
    queryKey: ['marketplaces', 'channels'],
    queryFn: async () => (await unwrap(api.GET('/v1/channels', { params: { query: { limit: 200 } } }))).items,
    staleTime: 300_000,
  });
}

export function useConnections() {
  return useQuery({
    queryKey: ['marketplaces', 'connections'],
    queryFn: async () => (await unwrap(api.GET('/v1/marketplaces/connections'))).items,
  });
}

export function useProviders() {
  return useQuery({
    queryKey: ['marketplaces', 'providers'],
    queryFn: async () => (await unwrap(api.GET('/v1/marketplaces/providers'))).items,
    staleTime: 3_600_000,
  });
}
