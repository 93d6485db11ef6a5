/**
 * Where an order goes, as coordinates for the distance-based shipping cost. Addresses carry no
 * coordinates unless the channel geocoded them; otherwise the centre of our own locations in the same
 * city, then in the same postal district (first two digits), then in the country stands in. Pure.
 */
import type { Location } from '../network/index.js';

export interface AddressLike {
  city?: string | undefined;
  postal_code?: string | undefined;
  country?: string | undefined;
  lat?: number | undefined;
  lng?: number | undefined;
}

const norm = (s: string | undefined) => (s ?? '').trim().toLowerCase();

function centre(locs: readonly Location[]): { lat: number; lng: number } | null {
  if (locs.length === 0) return null;
  return {
    lat: locs.reduce((a, l) => a + l.lat, 0) / locs.length,
    lng: locs.reduce((a, l) => a + l.lng, 0) / locs.length,
  };
}

export function destinationOf(
  address: AddressLike | undefined,
  locations: readonly Location[],
): { lat: number; lng: number } | null {
  if (!address) return centre(locations);
  if (typeof address.lat === 'number' && typeof address.lng === 'number') return { lat: address.lat, lng: address.lng };
  const addr = (l: Location) => l.address as { city?: string; postal_code?: string; country?: string };
  const city = norm(address.city);
  const byCity = city ? locations.filter((l) => norm(addr(l).city) === city) : [];
  if (byCity.length) return centre(byCity);
  const district = norm(address.postal_code).slice(0, 2);
  const byDistrict =
    district.length === 2 ? locations.filter((l) => norm(addr(l).postal_code).slice(0, 2) === district) : [];
  if (byDistrict.length) return centre(byDistrict);
  const country = norm(address.country);
  const byCountry = locations.filter((l) => norm(addr(l).country) === country);
  return centre(byCountry.length ? byCountry : locations);
}
