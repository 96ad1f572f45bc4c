/** Readiness probes: ZooKeeper four-letter words and Kafka's registrations in ZooKeeper. */
import { connect as tcpConnect } from 'node:net';
import { createClient } from 'node-zookeeper-client';

/** Sends a four-letter word (`ruok`, `srvr`, `mntr`) and resolves to the reply. */
export function fourLetter(port: number, word: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host: '127.0.0.1', port });
    let out = '';
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new Error(`no reply to ${word} from port ${port}`));
    });
    socket.on('connect', () => socket.write(word));
    socket.on('data', (d) => (out += d.toString()));
    socket.on('end', () => resolve(out));
    socket.on('error', reject);
  });
}

export interface KafkaRegistration {
  brokerIds: number[];
  controller?: number;
}

/** Reads `/brokers/ids` and `/controller` under Kafka's chroot. Throws if ZooKeeper is unreachable. */
export function kafkaRegistration(connect: string, chroot: string, timeoutMs = 5000): Promise<KafkaRegistration> {
  return new Promise((resolve, reject) => {
    const client = createClient(connect, { sessionTimeout: 10_000, retries: 0 });
    const timer = setTimeout(() => {
      client.close();
      reject(new Error(`ZooKeeper at ${connect} did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const finish = (err: Error | null, value?: KafkaRegistration) => {
      clearTimeout(timer);
      client.close();
      if (err) reject(err);
      else resolve(value!);
    };
    client.once('connected', () => {
      client.getChildren(`${chroot}/brokers/ids`, (err, children) => {
        const brokerIds = err ? [] : children.map(Number).sort((a, b) => a - b);
        client.getData(`${chroot}/controller`, (err2, data) => {
          const controller = err2 || !data ? undefined : (JSON.parse(data.toString()) as { brokerid: number }).brokerid;
          finish(null, { brokerIds, controller });
        });
      });
    });
    client.connect();
  });
}
