-- The availability summary's arrays (≈ 2 KB each at 500 locations) are compressed in line, and every
-- reservation batch rewrites one per SKU it grants from. With the default pglz, compressing them was
-- most of the cost of that write: on the 10-million-row bench, rewriting the free array of 64 rows
-- took ≈ 10 ms with pglz against ≈ 2 ms with lz4 (same session, best of six); lz4 also decompresses
-- faster for every read. Only values written from now on use lz4 (no table rewrite); older ones stay
-- pglz until their next write, and both read the same. A PostgreSQL built without lz4 (PGlite)
-- keeps pglz.
do $$
begin
  alter table atp_summary alter column free set compression lz4, alter column safety set compression lz4;
exception when feature_not_supported then
  null;
end
$$;
