/** What a backup records, and verify-data recomputes, for each partition: its offsets, count and content hash. */
export interface PartitionDigest {
  topic: string;
  partition: number;
  low: number;
  high: number;
  count: number;
  sha256: string;
}
