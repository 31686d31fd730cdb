-- Whether the nodes are polling for records sent from SQL (rowstream.send), so that a sending
-- transaction need not notify at its commit. One row at most. A node that moved sent records
-- pushes hot_until about two seconds ahead (once a second at most), and every node polls
-- sent_record every few milliseconds until a second after hot_until; rowstream.send notifies only
-- when hot_until has passed (or there is no row). Unlogged: it says nothing about data, and after
-- a crash or on a promoted standby it is empty, which means "notify", the safe side.

create unlogged table if not exists send_heat (
    singleton boolean     primary key default true check (singleton),
    hot_until timestamptz not null
);
comment on table send_heat is 'Whether the nodes are polling for records sent from SQL: until hot_until (database clock) rowstream.send does not notify at commit; no row or a past hot_until means it notifies. Unlogged (empty after a crash: notify).';
comment on column send_heat.singleton is 'Always true: the table holds one row at most.';
comment on column send_heat.hot_until is 'Until when the nodes poll for sent records (they go on a second longer); pushed ahead by a node that moved records.';

-- rowstream.send no longer computes the timestamp of a record sent without one: null stands for
-- the time of the send (sent_at), converted when the record is moved.
alter table sent_record alter column timestamp_ms drop not null;
comment on column sent_record.timestamp_ms is 'Record timestamp (CreateTime), ms since the epoch, as given to rowstream.send; null when none was given: the record then takes the time of the send (sent_at).';
