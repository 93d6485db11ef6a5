/** Calendar days picked in the browser's time zone → the API's instants (the `to` day included). */
export function dayRange(from: string, to: string): { placed_from?: string; placed_to?: string } {
  const start = (day: string) => new Date(`${day}T00:00:00`);
  const out: { placed_from?: string; placed_to?: string } = {};
  if (from) out.placed_from = start(from).toISOString();
  if (to) {
    const end = start(to);
    end.setDate(end.getDate() + 1);
    out.placed_to = end.toISOString();
  }
  return out;
}
