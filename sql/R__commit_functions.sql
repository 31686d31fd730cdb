-- Answers: how does an application commit a consumer group's offsets from SQL, in the same
-- transaction as the results it computed from the records?
--
--   begin;
--   insert into payment_total ...;                                      -- the application's result
--   select rowstream.commit_offsets('billing', 'consumer-1', null,
--                                   '[{"topic": "payments", "partition": 1, "offset": 8}]');
--   commit;                                                             -- result and offset, together
--
-- rowstream.commit_offsets(group_name, member_id, generation, offsets) writes committed_offset
-- rows (the next offset to read, as every commit) in the caller's transaction: they exist exactly
-- when the caller's transaction commits, so a consumer that stores its results in the same
-- database resumes after a crash exactly after the last result it stored. Offsets are a JSON
-- array of {"topic": text, "partition": integer, "offset": bigint[, "metadata": text]}; a
-- partition named twice takes its last entry (as Kafka's OffsetCommit); the leader epoch is null.
--
-- Fencing: the same rules, on the same rows, as the commits of the two doors
-- (io.rowstream.group.GroupOffsets.commit and the rules it calls; a change there is a change here).
-- The consumer_group row is held FOR SHARE, as the Java commits hold it, so no rebalance (which
-- holds it FOR UPDATE) interleaves; a lease counts on the database clock (now()).
--   * Generation below 0 (Kafka's -1; no member with generation null means -1 too): a commit
--     outside group membership, accepted only while the group has no live subscribed member
--     (Kafka's empty group; in a classic group: no live classic member), whatever member is
--     named; the group row is created if missing. Without a member, else RSC01.
--   * A classic group (consumer_group.group_protocol = 'classic', Kafka clients with JoinGroup;
--     ClassicGroups.fenceCommit): the member must be a live classic member (RSC01), the
--     generation the group's (RSC02), and the group not awaiting its leader's assignment
--     (state COMPLETING_REBALANCE: RSC04).
--   * Otherwise the member is the group's live consumer_instance whose member_id is member_id
--     (Kafka's member id, the v3 consumer_id) or, for an HTTP instance, whose instance_id is it
--     (what a REST Proxy v2 consumer knows); none, or its lease ended: RSC01.
--     - A KIP-848 Kafka member (door kafka; GroupOffsets.fenceMemberEpoch): generation is its
--       member epoch and must equal consumer_instance.member_epoch, else RSC03.
--     - An HTTP member (door http; GroupCoordinator.fence): subscribed, it must have seen the
--       group's current generation (consumer_instance.generation: it read or listed its
--       assignment since the last rebalance) and generation, when given, must be that generation,
--       else RSC02; generation null stands for the one it has seen (the HTTP v2 commit carries
--       none). An instance that assigned its partitions itself commits only while the group has no
--       live subscribed member and no live Kafka member, and in the group's generation when one is
--       given, else RSC02.
--   A fenced commit raises and stores nothing (the caller's transaction is aborted).
--   From the call to the end of the caller's transaction the group row (FOR SHARE) and the
--   member's row (FOR UPDATE) stay locked: a rebalance and the member's own HTTP calls wait for
--   it, so an application calls commit_offsets last, just before its commit.
--
-- Errors, raised at the call (nothing is stored):
--   RSC01  unknown or expired member (Kafka UNKNOWN_MEMBER_ID, HTTP 40403), or a commit without
--          membership while the group has live subscribed members
--   RSC02  stale generation (Kafka ILLEGAL_GENERATION, HTTP 40903): the group rebalanced since the
--          member last saw it, or the group does not exist
--   RSC03  stale member epoch of a KIP-848 member (Kafka STALE_MEMBER_EPOCH)
--   RSC04  the classic group is rebalancing (Kafka REBALANCE_IN_PROGRESS)
--   RSC05  unknown topic
--   RSC06  partition out of range (below 0 or not below the topic's partition count)
--   RSC07  malformed offsets: not a JSON array of {"topic", "partition", "offset"[, "metadata"]},
--          or an offset below 0
--   42501  the caller may not execute rowstream.commit_offsets (grant rowstream_committer to it)
--
-- Privilege: security definer, search_path pinned, PUBLIC may not execute it; a role may once it
-- is granted rowstream_committer (grant rowstream_committer to app). The role stands in for the
-- group's Read ACL and the instance owner check of the doors: it may commit for every group.

create or replace function commit_offsets(
    group_name text,
    member_id  text,
    generation integer,
    offsets    jsonb)
returns void
language plpgsql
security definer
set search_path = rowstream, pg_catalog
as $$
#variable_conflict use_variable
declare
    v_member     text := coalesce(member_id, '');
    -- Kafka's generation: -1 (or below) outside membership, which no member and no generation
    -- means too; null with a member stands for an HTTP member's seen generation.
    v_gen        integer := case when coalesce(member_id, '') = '' then coalesce(generation, -1) else generation end;
    v_group      rowstream.consumer_group%rowtype;
    v_instance   rowstream.consumer_instance%rowtype;
    v_empty      boolean;
    v_generation integer;   -- the generation the commit is recorded in (null: outside membership)
    v_bad        record;
begin
    if offsets is null or jsonb_typeof(offsets) <> 'array' or exists (
            select 1 from jsonb_array_elements(offsets) e
             where jsonb_typeof(e) <> 'object'
                or jsonb_typeof(e -> 'topic') is distinct from 'string'
                or jsonb_typeof(e -> 'partition') is distinct from 'number'
                or jsonb_typeof(e -> 'offset') is distinct from 'number'
                or (e ? 'metadata' and jsonb_typeof(e -> 'metadata') not in ('string', 'null'))
                or (e ->> 'partition')::numeric <> trunc((e ->> 'partition')::numeric)
                or (e ->> 'offset')::numeric <> trunc((e ->> 'offset')::numeric)) then
        raise exception 'malformed offsets: expected a JSON array of {"topic", "partition", "offset"[, "metadata"]}, got %',
                coalesce(left(offsets::text, 200), 'null')
            using errcode = 'RSC07';
    end if;
    select e ->> 'topic' as topic, (e ->> 'offset')::numeric as "offset" into v_bad
      from jsonb_array_elements(offsets) e where (e ->> 'offset')::numeric < 0 limit 1;
    if found then
        raise exception 'offset % of topic % is negative: a committed offset is the next offset to read', v_bad."offset", v_bad.topic
            using errcode = 'RSC07';
    end if;
    select e ->> 'topic' as topic into v_bad
      from jsonb_array_elements(offsets) e
     where not exists (select 1 from rowstream.topic t where t.name = e ->> 'topic') limit 1;
    if found then
        raise exception 'unknown topic: %', quote_literal(v_bad.topic)
            using errcode = 'RSC05';
    end if;
    select e ->> 'topic' as topic, (e ->> 'partition')::numeric as p, t.partition_count into v_bad
      from jsonb_array_elements(offsets) e join rowstream.topic t on t.name = e ->> 'topic'
     where (e ->> 'partition')::numeric < 0 or (e ->> 'partition')::numeric >= t.partition_count limit 1;
    if found then
        raise exception 'partition % out of range: topic % has partitions 0 to %', v_bad.p, v_bad.topic, v_bad.partition_count - 1
            using errcode = 'RSC06';
    end if;

    -- GroupOffsets.commit: the group row, FOR SHARE; a commit outside membership creates it.
    if v_gen < 0 then
        insert into rowstream.consumer_group (group_name) values (group_name) on conflict do nothing;
    end if;
    select * into v_group from rowstream.consumer_group g where g.group_name = group_name for share;
    if not found then
        raise exception 'group % does not exist, so generation % is not its generation', quote_literal(group_name), generation
            using errcode = 'RSC02';
    end if;
    v_empty := not exists (
        select 1 from rowstream.consumer_instance i
         where i.group_name = group_name
           and (i.subscribed_topics is not null or i.subscribed_pattern is not null)
           and i.lease_expires_at > now());

    if v_group.group_protocol = 'classic' then
        -- ClassicGroups.fenceCommit (without group.instance.id: SQL names no static member)
        if coalesce(v_gen, -1) < 0 and not exists (
                select 1 from rowstream.classic_member c
                  join rowstream.consumer_instance i on i.group_name = c.group_name and i.instance_id = c.instance_id
                 where c.group_name = group_name and i.lease_expires_at > now()) then
            v_generation := null;
        elsif coalesce(v_gen, -1) >= 0 or v_member <> '' then
            if not exists (
                    select 1 from rowstream.classic_member c
                      join rowstream.consumer_instance i on i.group_name = c.group_name and i.instance_id = c.instance_id
                     where c.group_name = group_name and i.member_id = v_member
                       and i.lease_expires_at > now()) then
                raise exception 'no live member % in group %', quote_literal(v_member), quote_literal(group_name)
                    using errcode = 'RSC01';
            end if;
            if generation is distinct from v_group.generation then
                raise exception 'generation % is not the current generation % of group %', coalesce(generation, -1), v_group.generation, quote_literal(group_name)
                    using errcode = 'RSC02';
            end if;
            if v_group.state = 'COMPLETING_REBALANCE' then
                raise exception 'group % is rebalancing: join it again', quote_literal(group_name)
                    using errcode = 'RSC04';
            end if;
            v_generation := v_group.generation;
        else
            raise exception 'no live member % in group %', quote_literal(v_member), quote_literal(group_name)
                using errcode = 'RSC01';
        end if;
    elsif v_gen < 0 and v_empty then
        v_generation := null;  -- accepted as Kafka accepts it for an empty group, whatever member is named
    elsif v_member <> '' then
        select * into v_instance from rowstream.consumer_instance i
         where i.group_name = group_name
           and (i.member_id = v_member or (i.door = 'http' and i.instance_id = v_member))
           and i.lease_expires_at > now()
         order by (i.member_id = v_member) desc
         limit 1
           for update;
        if not found then
            raise exception 'no live member % in group %', quote_literal(v_member), quote_literal(group_name)
                using errcode = 'RSC01', hint = 'Its lease ended or it never joined: create the consumer again.';
        end if;
        if v_instance.door = 'kafka' then
            -- GroupOffsets.fenceMemberEpoch
            if v_instance.member_epoch is null or generation is distinct from v_instance.member_epoch then
                raise exception 'member epoch % is not the current epoch % of member % in group %', generation, v_instance.member_epoch, quote_literal(v_member), quote_literal(group_name)
                    using errcode = 'RSC03';
            end if;
            v_generation := v_group.generation;
        elsif v_instance.subscribed_topics is null and v_instance.subscribed_pattern is null then
            -- GroupCoordinator.fence, an instance that assigned its partitions itself
            if not v_empty or exists (
                    select 1 from rowstream.consumer_instance i
                     where i.group_name = group_name and i.door = 'kafka' and i.lease_expires_at > now()) then
                raise exception 'consumer instance % is not a subscribed member, and group % has subscribed members (generation %)',
                        quote_literal(v_instance.instance_id), quote_literal(group_name), v_group.generation
                    using errcode = 'RSC02';
            end if;
            if generation is not null and generation <> v_group.generation then
                raise exception 'generation % is not the current generation % of group %', generation, v_group.generation, quote_literal(group_name)
                    using errcode = 'RSC02';
            end if;
            v_generation := null;
        else
            -- GroupCoordinator.fence, a subscribed member: it has seen the current generation
            if coalesce(generation, v_instance.generation) is distinct from v_group.generation
                    or v_instance.generation is distinct from v_group.generation then
                raise exception 'generation % is not the current generation % of group %: the group rebalanced',
                        coalesce(generation, v_instance.generation, -1), v_group.generation, quote_literal(group_name)
                    using errcode = 'RSC02',
                          hint = 'Fetch the new assignment (GET .../assignments or .../records), then commit again.';
            end if;
            v_generation := v_group.generation;
        end if;
    elsif v_gen >= 0 then
        raise exception 'no live member % in group %', quote_literal(v_member), quote_literal(group_name)
            using errcode = 'RSC01';
    else
        raise exception 'group % has live members (generation %): a commit without member and generation is accepted only while it has none',
                quote_literal(group_name), v_group.generation
            using errcode = 'RSC01';
    end if;

    -- OffsetStore.commit: a partition named twice takes its last entry.
    insert into rowstream.committed_offset as o
           (group_name, topic_id, partition_id, committed_offset, metadata, generation, leader_epoch)
    select distinct on (t.topic_id, (e.v ->> 'partition')::integer)
           group_name, t.topic_id, (e.v ->> 'partition')::integer, (e.v ->> 'offset')::bigint,
           coalesce(e.v ->> 'metadata', ''), v_generation, null
      from jsonb_array_elements(offsets) with ordinality e(v, n)
      join rowstream.topic t on t.name = e.v ->> 'topic'
     order by t.topic_id, (e.v ->> 'partition')::integer, e.n desc
    on conflict on constraint committed_offset_pkey do update
       set committed_offset = excluded.committed_offset,
           metadata = excluded.metadata,
           generation = excluded.generation,
           leader_epoch = excluded.leader_epoch,
           committed_at = now();
end
$$;

comment on function commit_offsets(text, text, integer, jsonb) is 'Commits a consumer group''s offsets (JSON array of {"topic","partition","offset"[,"metadata"]}) in the caller''s transaction, fenced as HTTP and Kafka commits are. SQLSTATE RSC01 unknown or expired member, RSC02 stale generation, RSC03 stale member epoch, RSC04 rebalancing, RSC05 unknown topic, RSC06 partition out of range, RSC07 malformed offsets or negative offset. Execute: rowstream_committer.';

revoke execute on function commit_offsets(text, text, integer, jsonb) from public;
do $$
begin
    if exists (select 1 from pg_roles where rolname = 'rowstream_committer') then
        execute 'grant usage on schema rowstream to rowstream_committer';
        execute 'grant execute on function rowstream.commit_offsets(text, text, integer, jsonb) to rowstream_committer';
    end if;
end
$$;
