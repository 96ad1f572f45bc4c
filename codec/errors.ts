/** Failures of the payload codec and its key file. Each kind has a stable `code` and a `retryable` flag. */
export class CodecError extends Error {
  constructor(
    readonly code: 'CODEC_KEY_INVALID' | 'CODEC_KEY_UNKNOWN' | 'CODEC_DECRYPT_FAILED' | 'CODEC_PAYLOAD_MALFORMED',
    message: string,
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'CodecError';
  }
}
