-- The store's IANA time zone ('Europe/Berlin'): its "today" and its day and month buckets
-- on the dashboard follow the store's calendar. Sellers from before this migration are on
-- UTC, which is what their figures already used.
ALTER TABLE sellers ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
