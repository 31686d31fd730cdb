-- rowstream.send no longer reads send_topic in every call: reading one row, even of one page, is
-- an executor run of its own, about 8 µs of the 72 µs a send cost its backend with 100 sends a
-- transaction (/proc, 2026-12-06). Instead send_topic's rows are compiled into a function that
-- returns them as one constant (rowstream.send_topic_compiled(), written by send_topic_compile() in
-- sql/R__send_functions.sql whenever send_topic changes): PostgreSQL inlines it into send's plans,
-- which it plans again in every session once the function is replaced.
--
-- This row is what was last compiled, and the lock that makes writers take turns: two transactions
-- replacing one function at once would fail the later ("tuple concurrently updated"), and one that
-- read send_topic before the other committed would compile a map without the other's change.
create table send_topic_compiled (
    singleton   boolean     primary key default true check (singleton),
    topics      jsonb,
    compiled_at timestamptz
);
insert into send_topic_compiled (singleton) values (true);

comment on table send_topic_compiled is 'send_topic as compiled into rowstream.send_topic_compiled(), which rowstream.send reads instead of send_topic: one row, written with the function by send_topic_compile(); a writer locks it first, so writers take turns.';
comment on column send_topic_compiled.singleton is 'Always true: the table has one row.';
comment on column send_topic_compiled.topics is 'The constant rowstream.send_topic_compiled() returns: topic name -> [topic_id, partition_count, unchecked_bytes, keyless] of each send_topic row; null before the first compile.';
comment on column send_topic_compiled.compiled_at is 'When the function was last written (the writer''s transaction start); null before the first compile.';
