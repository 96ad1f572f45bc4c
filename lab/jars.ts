/** Fetches the Kafka and ZooKeeper jars, and Kafka's tools, through Maven into the cache, once each. */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LabConfig } from './config';
import { KAFKA_VERSION, paths } from './config';

export async function ensureKafkaJars(c: LabConfig, log: (s: string) => void): Promise<void> {
  const dir = paths.kafkaLibs(c);
  if (!(
    existsSync(join(dir, `kafka_2.13-${KAFKA_VERSION}.jar`)) &&
    readdirSync(dir).some((f) => f.startsWith('zookeeper-3.8'))
  )) {
    log(`fetching Kafka ${KAFKA_VERSION} jars through Maven into ${dir}`);
    copyDependencies(c, 'pom.xml', dir);
  }
  // A cache filled before the tools were added has the broker jars only: fetch the tools on their own.
  const tools = paths.kafkaTools(c);
  if (!existsSync(join(tools, `kafka-tools-${KAFKA_VERSION}.jar`))) {
    log(`fetching kafka-tools ${KAFKA_VERSION} through Maven into ${tools}`);
    copyDependencies(c, 'tools-pom.xml', tools);
  }
}

function copyDependencies(c: LabConfig, pom: string, dir: string): void {
  execFileSync(
    'mvn',
    [
      '-q',
      '-B',
      '-f',
      join(c.repoDir, 'lab', 'maven', pom),
      'dependency:copy-dependencies',
      `-Dkafka.version=${KAFKA_VERSION}`,
      `-DoutputDirectory=${dir}`,
      '-DincludeScope=runtime',
    ],
    { stdio: 'inherit' },
  );
}
