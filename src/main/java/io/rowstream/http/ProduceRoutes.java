package io.rowstream.http;

import static io.rowstream.security.Acl.Operation.WRITE;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.rowstream.error.BrokerException;
import io.rowstream.log.ProducerBatch;
import io.rowstream.produce.Acks;
import io.rowstream.produce.ProduceRecord;
import io.rowstream.produce.ProduceService;
import io.rowstream.produce.RecordOffset;
import io.rowstream.produce.RecordOutcome;
import io.rowstream.security.Principal;
import io.rowstream.topic.Topic;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Produce: v2 {@code POST /topics/{t}[/partitions/{p}]} and v3 {@code …/records} and {@code …/records:batch}. */
final class ProduceRoutes {
  private static final Pattern BATCH_ID = Pattern.compile("[0-9a-zA-Z_-]{1,80}");
  private static final int MAX_BATCH_ENTRIES = 1000;

  private final ProduceService produce;
  private final String clusterId;
  private final EdgeLimits limits;

  ProduceRoutes(ProduceService produce, String clusterId, EdgeLimits limits) {
    this.produce = produce;
    this.clusterId = clusterId;
    this.limits = limits;
  }

  void register(AuthorizedRoutes routes) {
    routes.post("/topics/{t}", Rule.topic(WRITE), ctx -> produceV2(ctx, null));
    routes.post(
        "/topics/{t}/partitions/{p}",
        Rule.topic(WRITE),
        ctx -> produceV2(ctx, Params.partition(ctx)));
    routes.post("/v3/clusters/{cid}/topics/{t}/records", Rule.topic(WRITE), this::produceV3Stream);
    routes.post(
        "/v3/clusters/{cid}/topics/{t}/records:batch", Rule.topic(WRITE), this::produceV3Batch);
  }

  private void produceV2(Context ctx, Integer pathPartition) throws IOException {
    EmbeddedFormat format = EmbeddedFormat.ofProduceContentType(ctx.contentType());
    Acks acks = Acks.parse(ctx.queryParam("acks"));
    ProducerBatch producer = ProducerParams.of(ctx);
    Topic topic = pathPartition == null
        ? produce.topic(ctx.pathParam("t"))
        : produce.topic(ctx.pathParam("t"), pathPartition);
    List<ProduceRecord> records =
        ProduceRequests.parseV2(ctx.req().getInputStream(), format, pathPartition);
    long start = System.nanoTime();
    Principal principal = Access.of(ctx).principal();
    long bytes = limits.checkProduce(principal, records);
    List<RecordOffset> offsets = produce.produce(topic, records, acks, producer, principal);
    limits.produced(topic.name(), records.size(), bytes, start);
    ByteArrayOutputStream body = new ByteArrayOutputStream(64 + 64 * offsets.size());
    try (JsonGenerator json = Json.MAPPER.createGenerator(body)) {
      json.writeStartObject();
      json.writeNullField("key_schema_id");
      json.writeNullField("value_schema_id");
      json.writeArrayFieldStart("offsets");
      for (RecordOffset o : offsets) {
        json.writeStartObject();
        json.writeNumberField("partition", o.partition());
        json.writeNumberField("offset", o.offset());
        json.writeNullField("error_code");
        json.writeNullField("error");
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    ctx.contentType(EmbeddedFormat.V2_JSON).result(body.toByteArray());
  }

  /** One record, or several concatenated; each answered in order, each succeeding or failing alone. */
  private void produceV3Stream(Context ctx) throws IOException {
    V3.requireCluster(ctx, clusterId);
    Acks acks = Acks.parse(ctx.queryParam("acks"));
    Topic topic = produce.topic(ctx.pathParam("t"));
    byte[] body = ctx.bodyAsBytes();
    List<JsonNode> requests = readConcatenated(body);
    if (requests.isEmpty()) {
      throw ErrorResponses.emptyProduceBody();
    }
    limits.checkRecordCount(requests.size());
    Principal principal = Access.of(ctx).principal();
    List<ObjectNode> responses = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      responses.add(produceOne(topic, requests.get(i), "record " + i, acks, principal, ctx.path()));
    }
    ctx.status(200).contentType("application/json");
    OutputStream out = ctx.res().getOutputStream();
    for (int i = 0; i < responses.size(); i++) {
      if (i > 0) {
        out.write("\r\n".getBytes());
      }
      Json.MAPPER.writeValue(new NonClosing(out), responses.get(i));
    }
    out.flush();
  }

  private void produceV3Batch(Context ctx) {
    V3.requireCluster(ctx, clusterId);
    Acks acks = Acks.parse(ctx.queryParam("acks"));
    Topic topic = produce.topic(ctx.pathParam("t"));
    JsonNode entries = Json.parseObject(ctx.bodyAsBytes()).get("entries");
    if (entries == null
        || !entries.isArray()
        || entries.isEmpty()
        || entries.size() > MAX_BATCH_ENTRIES) {
      throw new HttpStatusException(
          HttpError.INVALID_BATCH,
          "The batch must hold an \"entries\" array of 1 to " + MAX_BATCH_ENTRIES + " records.");
    }
    Set<String> ids = new HashSet<>();
    for (JsonNode entry : entries) {
      JsonNode id = entry.get("id");
      String text = id == null
          ? null
          : id.isTextual() ? id.textValue() : id.isIntegralNumber() ? id.asText() : null;
      if (text == null || !BATCH_ID.matcher(text).matches() || !ids.add(text)) {
        throw new HttpStatusException(
            HttpError.INVALID_BATCH,
            "Every entry needs a unique \"id\" of 1 to 80 characters from [0-9a-zA-Z_-]; offending: "
                + id + ".");
      }
    }
    ObjectNode result = Json.object();
    ArrayNode successes = result.putArray("successes");
    ArrayNode failures = result.putArray("failures");
    // An entry this door cannot read fails alone here; which of the rest succeed is the service's
    // rule.
    List<ProduceRecord> readable = new ArrayList<>();
    Map<JsonNode, ObjectNode> unreadable = new IdentityHashMap<>();
    for (JsonNode entry : entries) {
      String id = entry.get("id").asText();
      try {
        readable.add(limits.checkHeaders(ProduceRequests.parseV3(entry, "entry " + id)));
      } catch (BrokerException | HttpStatusException e) {
        unreadable.put(entry, failure(e, ctx.path()).put("id", id));
      }
    }
    Admission admission = new Admission(limits, Access.of(ctx).principal());
    List<RecordOutcome> outcomes = produce.produceEach(topic, readable, acks, admission::admit);
    int next = 0;
    for (JsonNode entry : entries) {
      String id = entry.get("id").asText();
      ObjectNode refusal = unreadable.get(entry);
      if (refusal != null) {
        failures.add(refusal);
        continue;
      }
      ProduceRecord record = readable.get(next);
      switch (outcomes.get(next++)) {
        case RecordOutcome.Written written -> {
          ObjectNode success = success(topic, entry, record, written.offset());
          success.remove("error_code");
          successes.add(Json.object().put("id", id).setAll(success));
        }
        case RecordOutcome.Refused refused ->
          failures.add(failure(refused.error(), ctx.path()).put("id", id));
      }
    }
    admission.produced(topic.name(), successes.size());
    ctx.status(207).json(result);
  }

  /** The door's quota on the records a batch writes, charged once they passed their checks; and their metrics. */
  private static final class Admission {
    private final EdgeLimits limits;
    private final Principal principal;
    private long start;
    private long bytes;

    Admission(EdgeLimits limits, Principal principal) {
      this.limits = limits;
      this.principal = principal;
    }

    void admit(List<ProduceRecord> records) {
      start = System.nanoTime();
      bytes = limits.checkProduce(principal, records);
    }

    void produced(String topic, int records) {
      if (records > 0) {
        limits.produced(topic, records, bytes, start);
      }
    }
  }

  private ObjectNode produceOne(
      Topic topic, JsonNode request, String where, Acks acks, Principal principal, String path) {
    try {
      ProduceRecord record = ProduceRequests.parseV3(request, where);
      long start = System.nanoTime();
      long bytes = limits.checkProduce(principal, List.of(record));
      RecordOffset offset = produce.produce(topic, List.of(record), acks).getFirst();
      limits.produced(topic.name(), 1, bytes, start);
      return success(topic, request, record, offset);
    } catch (BrokerException | HttpStatusException e) {
      return failure(e, path);
    }
  }

  private ObjectNode success(
      Topic topic, JsonNode request, ProduceRecord record, RecordOffset offset) {
    ObjectNode out = Json.object()
        .put("error_code", 200)
        .put("cluster_id", clusterId)
        .put("topic_name", topic.name())
        .put("partition_id", offset.partition())
        .put("offset", offset.offset())
        .put("timestamp", Instant.ofEpochMilli(offset.timestamp()).toString());
    describeData(out, "key", request.get("key"), record.key());
    describeData(out, "value", request.get("value"), record.value());
    return out;
  }

  /**
   * The key or value as the REST Proxy describes it: its type as given, and its size in bytes as
   * stored (decoded base64, UTF-8 text, JSON text), -1 when it is null, as Kafka's RecordMetadata
   * reports a serialized size.
   */
  private static void describeData(ObjectNode out, String field, JsonNode data, byte[] stored) {
    if (data != null && data.isObject() && data.hasNonNull("type")) {
      out.putObject(field)
          .put("type", data.get("type").asText())
          .put("size", stored == null ? -1 : stored.length);
    }
  }

  /** A record's refusal as its answer says it (an internal error by its id only). */
  private static ObjectNode failure(RuntimeException e, String path) {
    return e instanceof BrokerException be
        ? InternalErrors.body(be, path)
        : ErrorResponses.body(((HttpStatusException) e).errorCode(), e.getMessage());
  }

  private static List<JsonNode> readConcatenated(byte[] body) {
    List<JsonNode> out = new ArrayList<>();
    try (MappingIterator<JsonNode> it = Json.MAPPER
        .readerFor(JsonNode.class)
        .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .readValues(body)) {
      while (it.hasNextValue()) {
        out.add(it.nextValue());
      }
    } catch (IOException | RuntimeException e) {
      throw HttpStatusException.badRequest("Malformed JSON: "
          + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
    }
    return out;
  }

  /** Lets Jackson write several documents to one stream without closing it. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
