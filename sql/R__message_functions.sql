-- Answers: what messages does a topic hold? Each chunk row stores one Kafka v2 record batch
-- (rowstream.chunk.batch); these functions and the view decode it, so plain SQL sees the records:
-- topic, partition, offset, timestamp, key, value and headers.
--
--   -- the next 20 messages of partition 0 of 'orders' from offset 1000 (fast: reads only what it returns)
--   select "offset", "timestamp", convert_from(value, 'UTF8') as value, headers
--   from rowstream.read_messages('orders', 0, 1000, 20);
--
--   -- messages of a key, over the whole topic (a full scan: decodes every batch of the topic)
--   select partition, "offset", "timestamp" from rowstream.message
--   where topic = 'orders' and key = convert_to('customer-7', 'UTF8') order by partition, "offset";
--
--   -- batches the functions cannot show, because they are compressed with gzip or zstd
--   select c.partition_id, c.base_offset, c.last_offset, h.compression
--   from rowstream.chunk c cross join lateral rowstream.record_batch_header(c.batch) h
--   where h.compression in ('gzip', 'zstd');
--
-- Uncompressed, lz4 and snappy batches: lz4 and snappy are simple enough to decompress in
-- PL/pgSQL (record_batch_lz4_records, record_batch_snappy_records), if slowly: a batch of 1 MB of
-- records took 0.4 to 2 s where an uncompressed one took 50 ms (RecordBatchSqlDecodeTest's machine). gzip and zstd would need their libraries inside PostgreSQL, so such a
-- batch yields no rows; record_batch_header shows which batches are compressed how. A topic whose
-- messages SQL must read uses compression.type lz4, snappy, uncompressed or producer. Control
-- batches (transaction markers, attribute bit 5) hold no messages and yield no rows either. The
-- CRC is not checked here: the broker checked it when it appended.
--
-- The view depends on rowstream.chunk, as chunk_overview does: a migration that replaces the
-- chunk table must drop the view first and change this file, so that Flyway creates it again.

-- One varint of a record (Kafka's zig-zag encoding, 7 bits a byte, least significant first) at
-- byte pos (0-based), and the position after it. A helper of decode_record_batch.
create or replace function record_batch_varint(bytes bytea, pos integer, out value bigint, out next_pos integer)
language plpgsql
immutable strict parallel safe
as $$
declare
    v_byte  integer;
    v_bits  bigint := 0;
    v_shift integer := 0;
begin
    loop
        v_byte := get_byte(bytes, pos);
        pos := pos + 1;
        v_bits := v_bits | ((v_byte & 127)::bigint << v_shift);
        exit when v_byte < 128;
        v_shift := v_shift + 7;
        if v_shift > 63 then
            raise exception 'a varint longer than 10 bytes ends at byte %', pos
                using errcode = 'invalid_binary_representation';
        end if;
    end loop;
    -- Undo the zig-zag: 0, 1, 2, 3, ... stand for 0, -1, 1, -2, ... (>> is arithmetic, so mask the sign bit).
    value := ((v_bits >> 1) & 9223372036854775807) # -(v_bits & 1);
    next_pos := pos;
end
$$;
comment on function record_batch_varint(bytea, integer) is
    'Reads one zig-zag varint (Kafka''s record encoding) at 0-based byte pos: its value and the position after it. '
    'A helper of decode_record_batch.';

-- The fixed 61-byte header of a v2 record batch, one row. Raises invalid_binary_representation
-- for bytes that are not one v2 batch (too short, another magic, a length other than their own).
create or replace function record_batch_header(batch bytea)
returns table (
    base_offset            bigint,
    batch_length           integer,
    partition_leader_epoch integer,
    magic                  smallint,
    crc                    bigint,
    attributes             smallint,
    compression            text,
    timestamp_type         text,
    transactional          boolean,
    control                boolean,
    last_offset_delta      integer,
    last_offset            bigint,
    base_timestamp         bigint,
    max_timestamp          bigint,
    producer_id            bigint,
    producer_epoch         smallint,
    base_sequence          integer,
    record_count           integer)
language plpgsql
immutable strict parallel safe
as $$
declare
    v_size integer := length(batch);
begin
    if v_size < 61 then
        raise exception 'a v2 record batch has at least 61 bytes, got %', v_size
            using errcode = 'invalid_binary_representation';
    end if;
    magic := get_byte(batch, 16);
    if magic <> 2 then
        raise exception 'not a v2 record batch: magic %', magic using errcode = 'invalid_binary_representation';
    end if;
    -- Big-endian two's complement integers, through bit strings: bit(64) -> bigint keeps the sign;
    -- the 16-bit fields are shifted into the sign's place and back.
    base_offset := ('x' || encode(substring(batch from 1 for 8), 'hex'))::bit(64)::bigint;
    batch_length := ('x' || encode(substring(batch from 9 for 4), 'hex'))::bit(32)::integer;
    if batch_length + 12 <> v_size then
        raise exception 'the record batch says it has % bytes, got %', batch_length + 12, v_size
            using errcode = 'invalid_binary_representation';
    end if;
    partition_leader_epoch := ('x' || encode(substring(batch from 13 for 4), 'hex'))::bit(32)::integer;
    crc := ('x' || encode(substring(batch from 18 for 4), 'hex'))::bit(32)::bigint;
    attributes := (('x' || encode(substring(batch from 22 for 2), 'hex') || '0000')::bit(32)::integer >> 16);
    compression := case attributes & 7 when 0 then 'none' when 1 then 'gzip' when 2 then 'snappy'
                                       when 3 then 'lz4' when 4 then 'zstd' else 'unknown' end;
    timestamp_type := case when attributes & 8 <> 0 then 'LogAppendTime' else 'CreateTime' end;
    transactional := attributes & 16 <> 0;
    control := attributes & 32 <> 0;
    last_offset_delta := ('x' || encode(substring(batch from 24 for 4), 'hex'))::bit(32)::integer;
    last_offset := base_offset + last_offset_delta;
    base_timestamp := ('x' || encode(substring(batch from 28 for 8), 'hex'))::bit(64)::bigint;
    max_timestamp := ('x' || encode(substring(batch from 36 for 8), 'hex'))::bit(64)::bigint;
    producer_id := ('x' || encode(substring(batch from 44 for 8), 'hex'))::bit(64)::bigint;
    producer_epoch := (('x' || encode(substring(batch from 52 for 2), 'hex') || '0000')::bit(32)::integer >> 16);
    base_sequence := ('x' || encode(substring(batch from 54 for 4), 'hex'))::bit(32)::integer;
    record_count := ('x' || encode(substring(batch from 58 for 4), 'hex'))::bit(32)::integer;
    return next;
end
$$;
comment on function record_batch_header(bytea) is
    'The header of one Kafka v2 record batch (a chunk''s batch column): offsets, compression (none, gzip, snappy, '
    'lz4, zstd), timestamp type, transactional and control flags, producer id/epoch/sequence, record count. '
    'One row; raises invalid_binary_representation for bytes that are not a v2 batch.';

-- The bytes a back reference of LZ4 or Snappy copies: len bytes starting dist bytes before the end
-- of out. When dist < len the copy overlaps what it writes: the last dist bytes repeat.
create or replace function record_batch_back_reference(out_so_far bytea, dist integer, len integer)
returns bytea
language plpgsql
immutable strict parallel safe
as $$
declare
    v_size  integer := length(out_so_far);
    v_piece bytea;
begin
    if dist < 1 or dist > v_size then
        raise exception 'a back reference % bytes back, with % bytes written', dist, v_size
            using errcode = 'invalid_binary_representation';
    end if;
    v_piece := substring(out_so_far from v_size - dist + 1 for least(dist, len));
    while length(v_piece) < len loop
        v_piece := v_piece || v_piece;
    end loop;
    return substring(v_piece from 1 for len);
end
$$;
comment on function record_batch_back_reference(bytea, integer, integer) is
    'The len bytes an LZ4 or Snappy match copies from dist bytes before the end of out_so_far (overlapping '
    'copies repeat the last dist bytes). A helper of record_batch_lz4_records and record_batch_snappy_records.';

-- A length of an LZ4 sequence whose 4 bits in the token are all set (15): the bytes from pos
-- (0-based) add to it, up to and including the first that is not 255. A helper of record_batch_lz4_records.
create or replace function record_batch_lz4_length(frame bytea, pos integer, nibble integer,
                                                   out value integer, out next_pos integer)
language plpgsql
immutable strict parallel safe
as $$
declare
    v_byte integer;
begin
    value := nibble;
    loop
        v_byte := get_byte(frame, pos);
        pos := pos + 1;
        value := value + v_byte;
        exit when v_byte <> 255;
    end loop;
    next_pos := pos;
end
$$;
comment on function record_batch_lz4_length(bytea, integer, integer) is
    'An LZ4 literal or match length whose token nibble is 15: the nibble plus the bytes from 0-based pos up to '
    'the first that is not 255, and the position after them. A helper of record_batch_lz4_records.';

-- The records section of an lz4 batch: Kafka writes it as one LZ4 frame (magic 0x184D2204, FLG,
-- BD, header checksum, then blocks each led by a little-endian length whose top bit marks a block
-- stored as is, ended by a zero length) of independent blocks. Checksums are not checked: the
-- broker checked the batch's CRC when it appended it.
create or replace function record_batch_lz4_records(frame bytea)
returns bytea
language plpgsql
immutable strict parallel safe
as $$
declare
    v_flg     integer;
    v_pos     integer;  -- 0-based
    v_size    bigint;
    v_end     integer;
    v_token   integer;
    v_length  integer;
    v_dist    integer;
    v_block   bytea;
    v_blocks  bytea[] := '{}';
begin
    if length(frame) < 7 or substring(frame from 1 for 4) <> '\x04224d18'::bytea then
        raise exception 'not an LZ4 frame' using errcode = 'invalid_binary_representation';
    end if;
    v_flg := get_byte(frame, 4);
    if v_flg & 32 = 0 then
        raise exception 'an LZ4 frame of dependent blocks, which Kafka does not write'
            using errcode = 'invalid_binary_representation';
    end if;
    v_pos := 7 + case when v_flg & 8 <> 0 then 8 else 0 end;  -- magic, FLG, BD, [content size], HC
    loop
        -- (PostgreSQL gives | and << one precedence, left to right: the sums below are the safer spelling.)
        v_size := get_byte(frame, v_pos) + get_byte(frame, v_pos + 1) * 256 + get_byte(frame, v_pos + 2) * 65536
                  + get_byte(frame, v_pos + 3)::bigint * 16777216;
        v_pos := v_pos + 4;
        exit when v_size = 0;  -- the end mark
        if v_size & 2147483648 <> 0 then
            v_size := v_size & 2147483647;
            v_blocks := array_append(v_blocks, substring(frame from v_pos + 1 for v_size::integer));
            v_pos := v_pos + v_size::integer;
        else
            -- One LZ4 block: sequences of a token (literal length, match length), literals, then a
            -- 2-byte little-endian distance; the last sequence has literals only.
            v_end := v_pos + v_size::integer;
            v_block := ''::bytea;
            while v_pos < v_end loop
                v_token := get_byte(frame, v_pos);
                v_pos := v_pos + 1;
                v_length := v_token >> 4;
                if v_length = 15 then
                    select * into v_length, v_pos from rowstream.record_batch_lz4_length(frame, v_pos, v_length);
                end if;
                v_block := v_block || substring(frame from v_pos + 1 for v_length);
                v_pos := v_pos + v_length;
                exit when v_pos >= v_end;
                v_dist := get_byte(frame, v_pos) + get_byte(frame, v_pos + 1) * 256;
                v_pos := v_pos + 2;
                v_length := v_token & 15;
                if v_length = 15 then
                    select * into v_length, v_pos from rowstream.record_batch_lz4_length(frame, v_pos, v_length);
                end if;
                v_block := v_block || rowstream.record_batch_back_reference(v_block, v_dist, v_length + 4);
            end loop;
            v_pos := v_end;
            v_blocks := array_append(v_blocks, v_block);
        end if;
        if v_flg & 16 <> 0 then
            v_pos := v_pos + 4;  -- the block's checksum
        end if;
    end loop;
    return (select coalesce(string_agg(b, ''::bytea order by n), ''::bytea) from unnest(v_blocks) with ordinality u(b, n));
end
$$;
comment on function record_batch_lz4_records(bytea) is
    'The records section of an lz4-compressed Kafka batch (the bytes after its 61-byte header, one LZ4 frame of '
    'independent blocks), decompressed. A helper of decode_record_batch.';

-- The records section of a snappy batch: Kafka writes it in snappy-java's stream format (the
-- 16-byte header \x82SNAPPY\0 with two versions, then chunks each led by a big-endian length),
-- each chunk one raw Snappy block: its uncompressed length as a varint, then literals and copies
-- (tag's low 2 bits: 0 literal, 1 copy with an 11-bit distance, 2 with 16 bits, 3 with 32 bits).
create or replace function record_batch_snappy_records(stream bytea)
returns bytea
language plpgsql
immutable strict parallel safe
as $$
declare
    v_pos    integer := 16;  -- 0-based, after the header
    v_total  integer := length(stream);
    v_end    integer;
    v_tag    integer;
    v_length integer;
    v_dist   bigint;
    v_block  bytea;
    v_blocks bytea[] := '{}';
begin
    if v_total < 16 or substring(stream from 1 for 8) <> '\x82534e4150505900'::bytea then
        raise exception 'not a snappy-java stream' using errcode = 'invalid_binary_representation';
    end if;
    while v_pos < v_total loop
        v_end := v_pos + 4 + get_byte(stream, v_pos) * 16777216 + get_byte(stream, v_pos + 1) * 65536
                 + get_byte(stream, v_pos + 2) * 256 + get_byte(stream, v_pos + 3);
        v_pos := v_pos + 4;
        while get_byte(stream, v_pos) >= 128 loop  -- the block's uncompressed length: not needed
            v_pos := v_pos + 1;
        end loop;
        v_pos := v_pos + 1;
        v_block := ''::bytea;
        while v_pos < v_end loop
            v_tag := get_byte(stream, v_pos);
            v_pos := v_pos + 1;
            if v_tag & 3 = 0 then
                v_length := v_tag >> 2;
                if v_length >= 60 then  -- the length - 1 follows in 1 to 4 little-endian bytes
                    v_dist := 0;
                    for i in 0 .. v_length - 60 loop
                        v_dist := v_dist + get_byte(stream, v_pos + i) * (256::bigint ^ i)::bigint;
                    end loop;
                    v_pos := v_pos + v_length - 59;
                    v_length := v_dist::integer;
                end if;
                v_block := v_block || substring(stream from v_pos + 1 for v_length + 1);
                v_pos := v_pos + v_length + 1;
            else
                if v_tag & 3 = 1 then
                    v_length := ((v_tag >> 2) & 7) + 4;
                    v_dist := (v_tag >> 5) * 256 + get_byte(stream, v_pos);
                    v_pos := v_pos + 1;
                elsif v_tag & 3 = 2 then
                    v_length := (v_tag >> 2) + 1;
                    v_dist := get_byte(stream, v_pos) + get_byte(stream, v_pos + 1) * 256;
                    v_pos := v_pos + 2;
                else
                    v_length := (v_tag >> 2) + 1;
                    v_dist := get_byte(stream, v_pos) + get_byte(stream, v_pos + 1) * 256
                              + get_byte(stream, v_pos + 2) * 65536 + get_byte(stream, v_pos + 3)::bigint * 16777216;
                    v_pos := v_pos + 4;
                end if;
                v_block := v_block || rowstream.record_batch_back_reference(v_block, v_dist::integer, v_length);
            end if;
        end loop;
        v_blocks := array_append(v_blocks, v_block);
    end loop;
    return (select coalesce(string_agg(b, ''::bytea order by n), ''::bytea) from unnest(v_blocks) with ordinality u(b, n));
end
$$;
comment on function record_batch_snappy_records(bytea) is
    'The records section of a snappy-compressed Kafka batch (the bytes after its 61-byte header, in snappy-java''s '
    'stream format), decompressed. A helper of decode_record_batch.';

-- The records of one v2 record batch. IMMUTABLE: the result depends on the bytes alone.
create or replace function decode_record_batch(batch bytea)
returns table (
    "offset"     bigint,
    "timestamp"  timestamptz,
    timestamp_ms bigint,
    key          bytea,
    value        bytea,
    headers      jsonb)
language plpgsql
immutable strict parallel safe
as $$
declare
    -- A stored batch reaches the function as a TOAST pointer (chunk.batch is STORAGE EXTERNAL), and
    -- every get_byte on the parameter would fetch it again: concatenating copies it into memory once.
    v_bytes   bytea := batch || ''::bytea;
    v_header  record;
    v_varint  record;
    v_pos     integer := 61;  -- 0-based: the first record follows the 61-byte header
    v_end     integer;
    v_length  bigint;
    v_count   bigint;
    v_name    text;
    v_headers jsonb[];
begin
    select * into v_header from rowstream.record_batch_header(v_bytes);
    if v_header.control then
        return;  -- a transaction marker: no message to show
    elsif v_header.compression = 'lz4' then
        v_bytes := substring(v_bytes from 1 for 61) || rowstream.record_batch_lz4_records(substring(v_bytes from 62));
    elsif v_header.compression = 'snappy' then
        v_bytes := substring(v_bytes from 1 for 61) || rowstream.record_batch_snappy_records(substring(v_bytes from 62));
    elsif v_header.compression <> 'none' then
        return;  -- gzip and zstd would need their libraries inside PostgreSQL: nothing this function can show
    end if;
    for i in 1 .. v_header.record_count loop
        v_varint := rowstream.record_batch_varint(v_bytes, v_pos);  -- the record's length
        v_end := v_varint.next_pos + v_varint.value;
        v_pos := v_varint.next_pos + 1;  -- skip the record's attributes (unused by Kafka)
        v_varint := rowstream.record_batch_varint(v_bytes, v_pos);
        -- With LogAppendTime the broker's append time (maxTimestamp) is every record's timestamp.
        -- Otherwise base + delta, wrapping around 64 bits as Kafka's writer does (-1 then
        -- Long.MAX_VALUE is a delta of Long.MIN_VALUE), so any timestamp a batch can hold reads back.
        timestamp_ms := case
            when v_header.timestamp_type = 'LogAppendTime' then v_header.max_timestamp
            when (v_varint.value > 0 and v_header.base_timestamp > 9223372036854775807 - v_varint.value)
              or (v_varint.value < 0 and v_header.base_timestamp < -9223372036854775808 - v_varint.value)
            then ((v_header.base_timestamp::numeric + v_varint.value + 27670116110564327424)
                  % 18446744073709551616 - 9223372036854775808)::bigint
            else v_header.base_timestamp + v_varint.value end;
        -- No timestamp (negative): null. Past PostgreSQL's last timestamp (294276 AD): infinity.
        "timestamp" := case when timestamp_ms < 0 then null
                            when timestamp_ms >= 9224318016000000 then 'infinity'::timestamptz
                            else to_timestamp(timestamp_ms / 1000.0) end;
        v_varint := rowstream.record_batch_varint(v_bytes, v_varint.next_pos);
        "offset" := v_header.base_offset + v_varint.value;  -- deltas may skip: compaction keeps offsets
        v_varint := rowstream.record_batch_varint(v_bytes, v_varint.next_pos);
        v_length := v_varint.value;
        v_pos := v_varint.next_pos + greatest(v_length, 0)::integer;
        key := case when v_length >= 0 then substring(v_bytes from v_varint.next_pos + 1 for v_length::integer) end;
        v_varint := rowstream.record_batch_varint(v_bytes, v_pos);
        v_length := v_varint.value;
        v_pos := v_varint.next_pos + greatest(v_length, 0)::integer;
        value := case when v_length >= 0 then substring(v_bytes from v_varint.next_pos + 1 for v_length::integer) end;
        v_varint := rowstream.record_batch_varint(v_bytes, v_pos);
        v_count := v_varint.value;
        v_pos := v_varint.next_pos;
        v_headers := '{}';
        for h in 1 .. v_count loop
            v_varint := rowstream.record_batch_varint(v_bytes, v_pos);
            v_name := convert_from(substring(v_bytes from v_varint.next_pos + 1 for v_varint.value::integer), 'UTF8');
            v_pos := v_varint.next_pos + v_varint.value::integer;
            v_varint := rowstream.record_batch_varint(v_bytes, v_pos);
            v_length := v_varint.value;
            v_pos := v_varint.next_pos + greatest(v_length, 0)::integer;
            -- base64 in one line, as the REST Proxy writes it (encode() breaks lines every 76 characters)
            v_headers := v_headers || jsonb_build_object('name', v_name, 'value', case when v_length >= 0 then
                translate(encode(substring(v_bytes from v_varint.next_pos + 1 for v_length::integer), 'base64'),
                          E'\n', '') end);
        end loop;
        headers := to_jsonb(v_headers);
        if v_pos <> v_end then
            raise exception 'record % of the batch at offset % ends at byte %, its length says %',
                i, v_header.base_offset, v_pos, v_end using errcode = 'invalid_binary_representation';
        end if;
        return next;
    end loop;
end
$$;
comment on function decode_record_batch(bytea) is
    'The records of one uncompressed, lz4 or snappy Kafka v2 record batch (a chunk''s batch column): offset (base offset + the '
    'record''s offset delta), timestamp (null when the record has none, infinity past PostgreSQL''s last '
    'timestamp, 294276 AD; with LogAppendTime the batch''s max timestamp) and timestamp_ms (the record''s '
    'milliseconds since the epoch, as stored), key and value (null when null), and headers as a JSON array of '
    '{"name": text, "value": base64 or null}. gzip, zstd and control batches yield no rows (see '
    'record_batch_header.compression); the CRC is not checked.';

-- Every message of every topic. A full scan: it decodes every batch that the query does not filter
-- out by topic or partition, and an offset condition does not narrow which batches are read. For
-- large logs use read_messages, which starts at an offset and stops after a number of messages.
create or replace view message as
select t.name       as topic,
       c.partition_id as partition,
       m."offset",
       m."timestamp",
       m.key,
       m.value,
       m.headers,
       m.timestamp_ms
from chunk c
join topic t using (topic_id)
cross join lateral decode_record_batch(c.batch) m;
comment on view message is
    'Every message of every topic (uncompressed, lz4 and snappy batches; see decode_record_batch): topic, partition, offset, '
    'timestamp, key, value, headers, timestamp_ms (see decode_record_batch). A full scan of the chunks of the topics and partitions the query names, '
    'in no particular order; read_messages reads from an offset cheaply.';

-- The messages of one partition from an offset, reading only the chunks it returns (through
-- read_chunks). STABLE: one snapshot, so nothing past the log end committed when the query began.
-- Dropped first: create or replace cannot add the timestamp_ms column to a function that lacks it.
drop function if exists read_messages(text, integer, bigint, integer);
create or replace function read_messages(
    p_topic         text,
    p_partition     integer,
    p_from_offset   bigint default 0,
    p_max_messages  integer default 100)
returns table (
    topic       text,
    partition   integer,
    "offset"    bigint,
    "timestamp" timestamptz,
    key         bytea,
    value       bytea,
    headers     jsonb,
    timestamp_ms bigint)
language plpgsql
stable
set search_path = rowstream, pg_catalog
as $$
declare
    v_topic_id bigint;
    v_next     bigint := greatest(coalesce(p_from_offset, 0), 0);
    v_after    bigint;
    v_left     integer := coalesce(p_max_messages, 100);
    v_chunk    record;
    v_message  record;
    v_again    boolean;
begin
    select t.topic_id into v_topic_id from topic t where t.name = p_topic;
    if not found then
        raise exception 'topic "%" does not exist', p_topic using errcode = 'undefined_object';
    end if;
    perform from topic_partition p where p.topic_id = v_topic_id and p.partition_id = p_partition;
    if not found then
        raise exception 'partition % of topic "%" does not exist', p_partition, p_topic
            using errcode = 'undefined_object';
    end if;
    topic := p_topic;
    partition := p_partition;
    v_again := v_left > 0;
    while v_again loop
        v_again := false;
        -- Every chunk holds at least one message, so v_left chunks are enough (1 MiB at a time).
        for v_chunk in
            select r.log_start_offset, r.base_offset, r.batch
              from read_chunks(v_topic_id, p_partition, v_next, 1048576, least(v_left, 1000)) r
        loop
            if v_chunk.batch is null then
                -- Nothing at v_next: before the log start (deleted by retention) go on from there, at or
                -- past the log end stop.
                if v_next < v_chunk.log_start_offset then
                    v_next := v_chunk.log_start_offset;
                    v_again := true;
                end if;
                exit;
            end if;
            for v_message in
                select d."offset", d."timestamp", d.key, d.value, d.headers, d.timestamp_ms
                  from decode_record_batch(v_chunk.batch) d
                 where d."offset" >= v_next
            loop
                "offset" := v_message."offset";
                "timestamp" := v_message."timestamp";
                key := v_message.key;
                value := v_message.value;
                headers := v_message.headers;
                timestamp_ms := v_message.timestamp_ms;
                return next;
                v_left := v_left - 1;
                if v_left = 0 then
                    return;
                end if;
            end loop;
            -- On past the chunk; ask read_chunks again only while that moves forward, so the loop ends.
            v_after := (select h.last_offset + 1 from record_batch_header(v_chunk.batch) h);
            if v_after > v_next then
                v_next := v_after;
                v_again := true;
            end if;
        end loop;
    end loop;
end
$$;
comment on function read_messages(text, integer, bigint, integer) is
    'Up to p_max_messages messages of partition p_partition of topic p_topic, in offset order, from offset '
    'p_from_offset (from the log start when that was deleted), up to the log end; it reads only the chunks it '
    'returns; timestamp and timestamp_ms as decode_record_batch has them. gzip, zstd and control batches are skipped (see decode_record_batch). Raises undefined_object '
    '(42704) when the topic or partition does not exist.';
