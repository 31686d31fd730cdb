-- Kafka's ACL model (AclAuthorizer / StandardAuthorizer), as rows: a binding allows or denies one
-- operation on a resource (a topic, a group, the cluster) named literally or by prefix, to one
-- principal, from one host or any. A deny beats any allow; nothing allowed is refused. The names
-- and their spelling are Kafka's (and the REST Proxy v3 acls API's), so kafka-acls habits carry over.
-- The broker reads the whole table into memory and refreshes it every few seconds, so it is kept
-- small and needs no index beyond the key.

create table acl (
    acl_id        bigint      generated always as identity primary key,
    resource_type text        not null check (resource_type in ('TOPIC', 'GROUP', 'CLUSTER')),
    resource_name text        not null check (length(resource_name) between 1 and 255),
    pattern_type  text        not null check (pattern_type in ('LITERAL', 'PREFIXED')),
    principal     text        not null check (principal ~ '^User:.+'),
    host          text        not null default '*',
    operation     text        not null check (operation in ('ALL', 'READ', 'WRITE', 'CREATE', 'DELETE', 'ALTER',
                                                            'DESCRIBE', 'DESCRIBE_CONFIGS', 'ALTER_CONFIGS')),
    permission    text        not null check (permission in ('ALLOW', 'DENY')),
    created_at    timestamptz not null default now(),
    unique (resource_type, resource_name, pattern_type, principal, host, operation, permission)
);
comment on table acl is 'ACL bindings (Kafka model): permission to perform operation on a resource, per principal and host.';
comment on column acl.acl_id is 'Surrogate key.';
comment on column acl.resource_type is 'TOPIC, GROUP or CLUSTER (the cluster resource is named kafka-cluster).';
comment on column acl.resource_name is 'Resource name, or its prefix when pattern_type is PREFIXED; the LITERAL name * means every resource of the type.';
comment on column acl.pattern_type is 'LITERAL (the exact name, or * for all) or PREFIXED (every name starting with resource_name).';
comment on column acl.principal is 'User:<name>, or User:* for every authenticated principal.';
comment on column acl.host is 'Client IP address the binding applies to, or * for any.';
comment on column acl.operation is 'READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, DESCRIBE_CONFIGS, ALTER_CONFIGS or ALL. An allowed READ, WRITE, DELETE or ALTER implies DESCRIBE; ALTER_CONFIGS implies DESCRIBE_CONFIGS.';
comment on column acl.permission is 'ALLOW or DENY; a matching DENY beats every ALLOW.';
comment on column acl.created_at is 'When the binding was created.';
