-- Key changes Citus needs before Rowstream's log tables can be distributed by topic_id
-- (docs/scaling.md, "Tables"): every primary key and unique index of a distributed table must
-- include the distribution column. Plain PostgreSQL accepts them too: CitusKeysTest applies this
-- file to the migrated schema and produces and reads through a node, across a segment roll.
-- Not a Flyway migration: run it once, after the nodes' first start has migrated the schema,
-- then distribute.sql.
alter table rowstream.segment drop constraint segment_storage_id_fkey;
drop index rowstream.segment_storage;
alter table rowstream.chunk_storage drop constraint chunk_storage_pkey;
alter table rowstream.chunk_storage add primary key (topic_id, storage_id);
create unique index segment_storage on rowstream.segment (topic_id, storage_id);
comment on index rowstream.segment_storage is 'A storage holds one segment; finds the segment of a storage (maintenance looks for storages no segment points to).';
alter table rowstream.segment add constraint segment_storage_id_fkey
    foreign key (topic_id, storage_id) references rowstream.chunk_storage (topic_id, storage_id);
-- chunk's primary key is not named chunk_pkey (V15 created it while the old table still had that name).
do $$ begin execute (select format('alter table rowstream.chunk drop constraint %I', conname) from pg_constraint where conrelid = 'rowstream.chunk'::regclass and contype = 'p'); end $$;
alter table rowstream.chunk add primary key (topic_id, storage_id, base_offset);
