package io.rowstream.produce;

import io.rowstream.error.BrokerException;
import io.rowstream.topic.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The rule of a batch whose records succeed or fail alone (REST Proxy v3 {@code records:batch}):
 * each record is checked against the topic by itself; one that fails is refused with its own
 * error and holds back no other; the ones that pass go out together (one chunk per partition),
 * once the door's {@code admit} (its quota) has accepted them. When {@code admit} refuses, or the
 * append fails, the whole batch fails and nothing of it is written.
 */
final class PartialBatch {
  private PartialBatch() {}

  static List<RecordOutcome> produce(
      ProduceService produce,
      Topic topic,
      List<ProduceRecord> records,
      Acks acks,
      Consumer<List<ProduceRecord>> admit) {
    List<RecordOutcome> outcomes = new ArrayList<>(records.size());
    List<ProduceRecord> valid = new ArrayList<>();
    for (ProduceRecord record : records) {
      try {
        produce.validate(topic, record);
        valid.add(record);
        outcomes.add(null);
      } catch (BrokerException e) {
        outcomes.add(new RecordOutcome.Refused(e));
      }
    }
    if (valid.isEmpty()) {
      return outcomes;
    }
    admit.accept(valid);
    List<RecordOffset> offsets = produce.produce(topic, valid, acks);
    int next = 0;
    for (int i = 0; i < outcomes.size(); i++) {
      if (outcomes.get(i) == null) {
        outcomes.set(i, new RecordOutcome.Written(offsets.get(next++)));
      }
    }
    return outcomes;
  }
}
