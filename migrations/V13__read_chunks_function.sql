-- A fetch as one function, so that reading the tail of a partition costs what it returns and not
-- what the partition holds. The statement it replaces joined its chosen chunks back to the chunk
-- table, and PostgreSQL planned that join (merge or hash) over every chunk of the partition: a
-- long-polling reader at the end of a partition of 15,000 small chunks paid 10-15 ms per fetch,
-- growing with the partition. Here both steps walk the primary key from the requested offset and
-- stop at the byte budget.
--
-- STABLE, so every query inside runs on the caller's snapshot: the range and the chunks are read
-- at one instant, and a chunk is returned exactly when the log end that covers it is.

create function read_chunks(
    p_topic_id     bigint,
    p_partition_id integer,
    p_from         bigint,
    p_max_bytes    bigint,
    p_max_chunks   integer)
returns table (log_start_offset bigint, log_end_offset bigint, base_offset bigint, batch bytea)
language plpgsql
stable
set search_path = rowstream, pg_catalog
as $$
declare
    v_first  bigint;
    v_last   bigint;
    v_bytes  bigint := 0;
    v_chunks integer := 0;
    v_chunk  record;
begin
    select p.log_start_offset, p.log_end_offset into log_start_offset, log_end_offset
      from topic_partition p
     where p.topic_id = p_topic_id and p.partition_id = p_partition_id;
    if not found then
        return;  -- no such partition: no rows
    end if;
    if p_from < log_start_offset or p_from >= log_end_offset then
        return next;  -- the range alone (batch null): out of range, or nothing new yet
        return;
    end if;

    -- The chunk holding p_from, then the next ones while the bytes before each are under the budget
    -- (so at least one), reading only the small columns.
    select max(c.base_offset) into v_first
      from chunk c
     where c.topic_id = p_topic_id and c.partition_id = p_partition_id and c.base_offset <= p_from;
    for v_chunk in
        select c.base_offset, c.size_bytes
          from chunk c
         where c.topic_id = p_topic_id and c.partition_id = p_partition_id
           and c.base_offset >= coalesce(v_first, p_from)
         order by c.base_offset
    loop
        exit when v_bytes >= p_max_bytes or v_chunks >= p_max_chunks;
        v_last := v_chunk.base_offset;
        v_bytes := v_bytes + v_chunk.size_bytes;
        v_chunks := v_chunks + 1;
    end loop;
    if v_last is null then
        return next;  -- the log end moved past chunks deleted meanwhile: nothing to return
        return;
    end if;

    return query
        select log_start_offset, log_end_offset, c.base_offset, c.batch
          from chunk c
         where c.topic_id = p_topic_id and c.partition_id = p_partition_id
           and c.base_offset between coalesce(v_first, p_from) and v_last
         order by c.base_offset;
end
$$;

comment on function read_chunks(bigint, integer, bigint, bigint, integer) is
    'Reads a partition from offset p_from: returns its log start and end offsets, and, when p_from lies in '
    '[start, end), the chunk holding p_from and the following ones in offset order while the bytes before each '
    'are under p_max_bytes (at least one chunk, at most p_max_chunks). One row with a null batch when there is '
    'nothing to return; no rows when the partition does not exist. Runs on the caller''s snapshot (STABLE).';
