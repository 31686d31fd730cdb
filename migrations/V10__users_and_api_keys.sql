-- Who may call the broker when authentication is on (ROWSTREAM_AUTH_ENABLED). A user signs in
-- with HTTP Basic; an API key is a bearer token. Both name the principal User:<name> that the
-- ACLs (V11) speak of. Secrets are never stored: passwords as bcrypt hashes (slow and salted,
-- since people choose them), API keys as SHA-256 digests (fast is fine: a key is 256 random bits,
-- and a digest can be looked up by equality).

create table auth_user (
    name          text        primary key check (name ~ '^[A-Za-z0-9._@-]{1,128}$'),
    password_hash text        not null,
    created_at    timestamptz not null default now()
);
comment on table auth_user is 'Users who sign in with HTTP Basic; each is the principal User:<name>.';
comment on column auth_user.name is 'User name, 1-128 characters from [A-Za-z0-9._@-].';
comment on column auth_user.password_hash is 'bcrypt hash of the password (salt and cost included); never the password itself.';
comment on column auth_user.created_at is 'When the user was created (or its password last set).';

create table auth_api_key (
    key_id        text        primary key,
    principal     text        not null check (principal ~ '^[A-Za-z0-9._@-]{1,128}$'),
    secret_sha256 bytea       not null unique check (length(secret_sha256) = 32),
    description   text        not null default '',
    expires_at    timestamptz,
    created_at    timestamptz not null default now()
);
comment on table auth_api_key is 'API keys: bearer tokens that act as principal User:<principal>, optionally until an expiry.';
comment on column auth_api_key.key_id is 'Public id of the key (the token starts with it); safe to show and log.';
comment on column auth_api_key.principal is 'Name of the principal the key acts as (User:<principal>); need not be an auth_user.';
comment on column auth_api_key.secret_sha256 is 'SHA-256 of the whole token; the token itself is shown once, at creation.';
comment on column auth_api_key.description is 'What the key is for, as its creator wrote.';
comment on column auth_api_key.expires_at is 'After this instant (database clock) the key is refused; null: no expiry.';
comment on column auth_api_key.created_at is 'When the key was created.';
