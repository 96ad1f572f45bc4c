/** Fetches the Kafka and ZooKeeper jars through Maven into the cache, once. */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LabConfig } from './config';
import { KAFKA_VERSION, paths } from './config';

export async function ensureKafkaJars(c: LabConfig, log: (s: string) => void): Promise<void> {
  const dir = paths.kafkaLibs(c);
  if (existsSync(join(dir, `kafka_2.13-${KAFKA_VERSION}.jar`)) && readdirSync(dir).some((f) => f.startsWith('zookeeper-3.8'))) {
    return;
  }
  log(`fetching Kafka ${KAFKA_VERSION} jars through Maven into ${dir}`);
  execFileSync(
    'mvn',
    ['-q', '-B', '-f', join(c.repoDir, 'lab', 'maven', 'pom.xml'), 'dependency:copy-dependencies',
      `-Dkafka.version=${KAFKA_VERSION}`, `-DoutputDirectory=${dir}`, '-DincludeScope=runtime'],
    { stdio: 'inherit' },
  );
}
