/**
 * The data converter shared by the worker, the CLI and the audit: the default one, plus the AES-GCM
 * payload codec when a key file is configured (REKINDLE_CODEC_KEY_FILE or `codecKeyFile`).
 */
import type { DataConverter } from '@temporalio/common';
import { AesGcmCodec } from './aes-gcm';
import { loadKeyFile } from './key-file';

/** Module exporting `failureConverter`; pass it to bundleWorkflowCode when bundling for an encrypting worker. */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

export { AesGcmCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA } from './aes-gcm';
export { CodecError } from './errors';
export { loadKeyFile, parseKey } from './key-file';
export type { CodecKey } from './key-file';

/**
 * The data converter for `codecKeyFile` (undefined: Temporal's default, no encryption).
 * @throws CodecError CODEC_KEY_INVALID when the key file is unreadable or malformed.
 */
export function dataConverterFor(codecKeyFile?: string): DataConverter | undefined {
  if (!codecKeyFile) return undefined;
  return {
    payloadCodecs: [new AesGcmCodec(loadKeyFile(codecKeyFile))],
    failureConverterPath: FAILURE_CONVERTER_PATH,
  };
}
