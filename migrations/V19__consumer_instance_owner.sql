-- A consumer instance belongs to the principal that created it: every call on it by another
-- principal (but a super user) finds no instance (404 / 40403), as Kafka's group coordinator
-- refuses a member id it did not hand to the caller. The owner's principal is also whose Read
-- rights decide which topics a rebalance gives the member (a pattern matches only topics the
-- owner may read now), and the caps on instances and groups per principal count by it.
--
-- Instances created before this migration belong to User:ANONYMOUS: with authentication off
-- every request is that principal, so nothing changes; with it on only a super user can reach
-- them until their lease ends (they hold no rights of their own).

alter table consumer_instance
    add column if not exists owner_principal text not null default 'User:ANONYMOUS',
    add column if not exists owner_host      text not null default '*';
alter table consumer_instance alter column owner_principal drop default;
alter table consumer_instance alter column owner_host drop default;

create index if not exists consumer_instance_owner on consumer_instance (owner_principal, group_name);

comment on column consumer_instance.owner_principal is 'Principal that created the instance (User:name, User:ANONYMOUS with authentication off). Only it, or a super user, may call the instance; a rebalance gives the member only partitions of topics this principal may Read.';
comment on column consumer_instance.owner_host is 'Client address the instance was created from: the host of the ACL decisions taken without a request of the owner (which topics a rebalance gives it).';
comment on index consumer_instance_owner is 'Counts of a principal''s instances and groups, for ROWSTREAM_MAX_CONSUMERS_PER_PRINCIPAL and ROWSTREAM_MAX_GROUPS_PER_PRINCIPAL.';
