/**
 * Records sent from SQL: {@code rowstream.send(topic, value, key, headers, partition, timestamp)}
 * (sql/R__send_functions.sql) checks a record and inserts it into {@code sent_record} in the
 * caller's own transaction, taking no lock on the log; {@link io.rowstream.send.SentRecordMover}
 * moves committed rows into the log through {@code log.PartitionLog#appendTaken}, recording them as
 * moved ({@code sent_progress}) in the transaction that appends them, so each becomes exactly one
 * record of the log; {@link io.rowstream.send.SentRecordSlots} empties a slot of rows all moved.
 *
 * <p>Decisions, and why:
 *
 * <ul>
 *   <li>The partition is chosen in SQL at the send (Kafka's murmur2 in PL/pgSQL,
 *       {@code kafka_partition_for_key}), so a row names its partition and one mover per partition
 *       can take its rows in order without routing them first.
 *   <li>Order: a move takes the rows of the sender transactions finished since the last move's
 *       snapshot (PgQ's batches), by the sender's transaction id ({@code pg_current_xact_id()}),
 *       then call order, whole transactions per move, under the partition's progress row lock
 *       (movers of one partition take turns), read and appended a bounded piece at a time within
 *       the move ({@link io.rowstream.send.SentRecordTake}). A transaction that began after another
 *       committed has the larger id and finished in no snapshot before the other one did.
 *   <li>Moved rows are not deleted: a delete per row left a dead row per record, and under a
 *       backlog every move walked the dead index entries of the ones before it. Three slots,
 *       emptied whole by {@code TRUNCATE} once all of a slot's rows moved.
 *   <li>Who moves: the partition's leader, or any node while no live node leads it; the row lock
 *       keeps two movers of one partition apart during a change of leader.
 *   <li>Wake-up: while records keep coming the nodes poll every few milliseconds and say so in
 *       {@code send_heat}, and senders do not notify; a sending transaction that finds no node
 *       polling notifies channel {@code rowstream_send} once (an empty payload, folded by
 *       PostgreSQL); a sweep each interval catches what both would miss. The notification stays
 *       off the busy path because a notifying transaction's commit takes a cluster-wide lock until
 *       it is flushed, so many small notifying transactions queue on it
 *       ({@code rowstream.send_notify = off} turns it off for a session).
 *   <li>The send's cost is the application's: its usual path is one insert from the topic's row;
 *       the checks with their messages ({@code send_check}) run only for a record a quick test
 *       finds suspect. A record sent without a timestamp takes the time of the send
 *       ({@code sent_at}), converted when it is moved.
 *   <li>Change-data capture ({@code rowstream.capture}, sql/R__capture_functions.sql) is a row
 *       trigger that calls {@code send}: nothing here knows of it. Since rows move by transaction
 *       id, not commit order, the trigger refuses (40001) a change that would land before a change
 *       of the same key whose later transaction committed first and still waits to be moved.
 * </ul>
 *
 * <p>Uses {@code log} (the append), {@code topic} (the topic's configs), {@code cluster} (who
 * leads), {@code db} (its store, notifications), {@code background} (its loop). No door calls it.
 */
package io.rowstream.send;
