package io.rowstream.kafka.records;

import io.rowstream.kafka.KafkaApis;
import io.rowstream.kafka.KafkaErrors;
import io.rowstream.services.BrokerServices;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochRequest;
import org.apache.kafka.common.requests.ProduceRequest;

/**
 * The record APIs of the Kafka door and the versions served: every version the pinned kafka-clients
 * parses, except where said.
 *
 * <ul>
 *   <li>Produce 3..13, advertised from 0 as Kafka 4 does (KAFKA-18659: librdkafka enables gzip,
 *       snappy and lz4 only when Produce v0 is in the range), v0..2 refused as Kafka refuses them.
 *   <li>Fetch 4..18; ListOffsets 1..11.
 *   <li>InitProducerId 0..5: v6 is unstable in kafka-clients 4.4 (KIP-939 two-phase commit, which
 *       needs transactions).
 *   <li>OffsetForLeaderEpoch, every version kafka-clients 4.4 parses: the end offset of a leader
 *       epoch, found from the leader epoch each stored batch carries ({@code log.EpochEndOffsets}).
 * </ul>
 */
public final class RecordApis {
  private RecordApis() {}

  public static void serve(KafkaApis apis, BrokerServices services, KafkaErrors errors) {
    TopicIds ids = new TopicIds(services.topics(), services.topicCache());
    LeaderHints leaders = new LeaderHints(
        services.topicCache(), services.topics(), services.leaders(), services.brokers());
    apis.serve(
        ApiKeys.PRODUCE,
        0,
        3,
        ApiKeys.PRODUCE.latestVersion(),
        ProduceRequest.class,
        new ProduceHandler(services.produce(), ids, leaders, errors));
    apis.serve(
        ApiKeys.FETCH,
        ApiKeys.FETCH.oldestVersion(),
        ApiKeys.FETCH.latestVersion(),
        FetchRequest.class,
        new FetchHandler(
            services.log(), services.fetchMemory(), services.topicCache(), ids, errors));
    apis.serve(
        ApiKeys.LIST_OFFSETS,
        ApiKeys.LIST_OFFSETS.oldestVersion(),
        ApiKeys.LIST_OFFSETS.latestVersion(),
        ListOffsetsRequest.class,
        new ListOffsetsHandler(
            services.topicCache(), services.topics(), services.offsetsByTime(), errors));
    apis.serve(
        ApiKeys.INIT_PRODUCER_ID,
        ApiKeys.INIT_PRODUCER_ID.oldestVersion(),
        5, // v6 is marked unstable in kafka-clients 4.4 (KIP-939 two-phase commit)
        InitProducerIdRequest.class,
        new InitProducerIdHandler(services.produce().producers()));
    apis.serve(
        ApiKeys.OFFSET_FOR_LEADER_EPOCH,
        ApiKeys.OFFSET_FOR_LEADER_EPOCH.oldestVersion(),
        ApiKeys.OFFSET_FOR_LEADER_EPOCH.latestVersion(),
        OffsetsForLeaderEpochRequest.class,
        new OffsetForLeaderEpochHandler(
            services.topicCache(), services.topics(), services.epochEnds(), errors));
  }
}
