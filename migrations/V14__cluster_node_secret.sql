-- The secret the nodes of one cluster show one another. With authentication on, a node that
-- forwards a produce to the partition's leader authenticates with it (Authorization: Bearer),
-- as the cluster's own principal; the client's credentials and ACLs were checked by the node the
-- client called. It lives in the database because that is what the nodes share: whoever can read
-- this table can already change every row a node can.

alter table cluster
    add column node_secret text not null
        default replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '');
comment on column cluster.node_secret is
    'Bearer token the nodes present to one another when forwarding appends to a partition leader (inter-node authentication); random, made at migration.';
