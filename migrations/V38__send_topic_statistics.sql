-- rowstream.send reads its topic's send_topic row by name in every call, and how it reads it is
-- the planner's choice. Without statistics (autovacuum analyzes a table after 50 changed rows and
-- a tenth of it, so a cluster of a few topics would never have any) the planner guesses ten pages
-- and a few matching rows, and reads the row through a bitmap scan of the hash index: bitmap set
-- up in every call. With statistics it scans the table's single page while there are a few
-- topics, and the hash index's plain scan once there are many. Measured with 100 sends a
-- transaction, the node stopped (/proc, 2026-12-06): 89.8-92.1 against 96.1-96.8 µs of backend
-- CPU a send at 8 connections; the lookup alone, one connection, 64-66 µs (scan of the page) and
-- 70-71 (plain index scan, 500 topics) against 71.5-74 (bitmap scan).
--
-- So autovacuum analyzes send_topic after any change to it (within autovacuum_naptime, a minute by
-- default), and this analyzes it now: a new database then plans for an empty table, a scan of its
-- page, until its first analyze.
alter table send_topic set (autovacuum_analyze_threshold = 0, autovacuum_analyze_scale_factor = 0);
analyze send_topic;
