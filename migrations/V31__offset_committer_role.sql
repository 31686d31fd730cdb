-- The role a database role is granted to call rowstream.commit_offsets (grant rowstream_committer
-- to app): committing a consumer group's offsets from SQL, in the application's own transaction.
-- A separate role from rowstream_sender: committing offsets moves a group's progress (what its
-- consumers skip), which a role that may only publish records should not be able to do.
-- Roles belong to the PostgreSQL cluster, not to this database: created once, kept if there.
-- A migrating user without CREATEROLE gets a notice, and an administrator creates it by hand
-- (create role rowstream_committer nologin) before the next start; R__commit_functions.sql grants
-- to it.
do $$
begin
    if not exists (select 1 from pg_roles where rolname = 'rowstream_committer') then
        begin
            create role rowstream_committer nologin;
        exception when insufficient_privilege then
            raise notice 'cannot create role rowstream_committer (no CREATEROLE): create it by hand to let roles call rowstream.commit_offsets';
        end;
    end if;
end
$$;
