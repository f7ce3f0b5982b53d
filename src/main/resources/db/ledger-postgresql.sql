-- PostgreSQL only, after ledger.sql: what the portable script cannot say.
-- The search's reference prefix (reference LIKE 'abc%') can use a B-tree index under any
-- collation only with the pattern operator class; the primary key's index serves it only under
-- the C collation. (H2 reads such a LIKE as a range of the primary key.)
CREATE INDEX IF NOT EXISTS payouts_reference_prefix ON payouts (reference varchar_pattern_ops);
