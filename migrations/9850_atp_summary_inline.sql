-- The availability summary's two arrays stay in the row (STORAGE MAIN: compressed, moved out of line
-- only if the row could not fit a page at all). At 500 locations they compress to ≈ 1.3 KB + 1.1 KB,
-- past the 2 KB TOAST threshold together, so one of them lived in the TOAST table: every read of a
-- summary row (availability, a batch's candidates) probed the TOAST index and heap, and every
-- reservation batch wrote a new TOAST tuple and index entry per SKU and deleted the old one
-- (docs/scaling.md, "Spread reservations, sixth session"). A row of ≈ 2.5 KB fits three to a page.
-- Metadata only: each row moves in line at its next write.
alter table atp_summary alter column free set storage main, alter column safety set storage main;
