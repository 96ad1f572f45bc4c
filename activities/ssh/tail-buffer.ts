/** A byte-capped output collector that keeps the tail (the end of a log is what explains a failure). */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  /** Bytes seen in total, including those dropped. */
  total = 0;

  constructor(private readonly cap: number) {}

  /** Appends a chunk, dropping the oldest bytes beyond the cap. */
  push(chunk: Buffer): void {
    this.total += chunk.length;
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.cap && this.chunks.length > 0) {
      const excess = this.size - this.cap;
      const head = this.chunks[0];
      if (head.length <= excess) {
        this.chunks.shift();
        this.size -= head.length;
      } else {
        this.chunks[0] = head.subarray(excess);
        this.size -= excess;
      }
    }
  }

  /** True when bytes were dropped. */
  get truncated(): boolean {
    return this.total > this.size;
  }

  /** The kept tail as bytes. */
  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }

  /** The kept tail as UTF-8 text (a multi-byte character cut at the front becomes U+FFFD). */
  text(): string {
    return this.bytes().toString('utf8');
  }
}
