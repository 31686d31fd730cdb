"""The client compatibility matrix's scenario through kafka-python (ClientCompatibilityMatrixTest).

  scenario.py produce BOOTSTRAP TOPIC          < key:value lines
  scenario.py consume BOOTSTRAP GROUP TOPIC N  > the N values read, one per line

consume joins GROUP as a subscriber of TOPIC, reads N records, commits the offsets of exactly
those (manual commit), and leaves the group. Exit status 0 on success.
"""
import sys

from kafka import KafkaConsumer, KafkaProducer
from kafka.structs import OffsetAndMetadata, TopicPartition


def produce(bootstrap, topic):
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all")
    for line in sys.stdin:
        key, _, value = line.rstrip("\n").partition(":")
        producer.send(topic, key=key.encode(), value=value.encode())
    producer.flush(timeout=30)
    producer.close(timeout=30)


def consume(bootstrap, group, topic, count):
    consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=group,
                             enable_auto_commit=False, auto_offset_reset="earliest",
                             session_timeout_ms=10000, heartbeat_interval_ms=1000)
    read, processed = [], {}
    polls = 0
    while len(read) < count:
        polls += 1
        if polls > 300:
            raise SystemExit("read %d of %d records" % (len(read), count))
        batches = consumer.poll(timeout_ms=200, max_records=count - len(read))
        for partition, records in batches.items():
            for record in records:
                read.append(record.value.decode())
                processed[TopicPartition(record.topic, record.partition)] = \
                    OffsetAndMetadata(record.offset + 1, None)
    consumer.commit(processed)
    consumer.close()
    for value in read:
        print(value)


if __name__ == "__main__":
    if sys.argv[1] == "produce":
        produce(sys.argv[2], sys.argv[3])
    else:
        consume(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
