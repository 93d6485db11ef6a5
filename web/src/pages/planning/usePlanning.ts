import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';

/** Location names (stores and warehouses) for the planning pages: one call, cached. */
export function useLocationNames() {
  return useQuery({
    queryKey: ['planning', 'locations'],
    queryFn: async () => {
      const page = await unwrap(api.GET('/v1/locations', { params: { query: { limit: 500 } } }));
      return new Map(page.items.map((l) => [l.id, l.name]));
    },
    staleTime: 300_000,
  });
}
