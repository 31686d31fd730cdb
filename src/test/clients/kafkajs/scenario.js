// The client compatibility matrix's scenario through kafkajs (ClientCompatibilityMatrixTest).
//
//   node scenario.js produce BOOTSTRAP TOPIC          < key:value lines
//   node scenario.js consume BOOTSTRAP GROUP TOPIC N  > the N values read, one per line
//
// consume joins GROUP as a subscriber of TOPIC, reads N records, commits the offsets of exactly
// those (autoCommit off), and leaves the group. Exit status 0 on success.
const { Kafka, logLevel } = require('kafkajs');

const [command, bootstrap, ...rest] = process.argv.slice(2);
const kafka = new Kafka({ clientId: 'matrix', brokers: [bootstrap], logLevel: logLevel.ERROR });

async function produce(topic) {
  const lines = require('fs').readFileSync(0, 'utf8').split('\n').filter((l) => l.length > 0);
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic,
    acks: -1,
    messages: lines.map((l) => {
      const at = l.indexOf(':');
      return { key: l.slice(0, at), value: l.slice(at + 1) };
    }),
  });
  await producer.disconnect();
}

async function consume(group, topic, count) {
  const consumer = kafka.consumer({ groupId: group, sessionTimeout: 10000, heartbeatInterval: 1000 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const read = [];
  let finish;
  const done = new Promise((resolve) => { finish = resolve; });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ topic: t, partition, message }) => {
      if (read.length >= count) {
        consumer.pause([{ topic: t }]);
        return;
      }
      read.push(message.value.toString());
      await consumer.commitOffsets([{ topic: t, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
      if (read.length === count) {
        consumer.pause([{ topic: t }]);
        finish();
      }
    },
  });
  const timeout = setTimeout(() => { console.error(`read ${read.length} of ${count} records`); process.exit(1); }, 60000);
  await done;
  clearTimeout(timeout);
  await consumer.disconnect();
  read.forEach((v) => console.log(v));
}

(command === 'produce' ? produce(rest[0]) : consume(rest[0], rest[1], Number(rest[2])))
  .catch((e) => { console.error(e); process.exit(1); });
