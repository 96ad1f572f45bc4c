/**
 * The failure converter used with the payload codec: failure messages and stack traces move into an
 * encoded payload, so the codec encrypts them too (Temporal leaves them as plain text by default).
 * Loaded by path (DataConverter.failureConverterPath) so the workflow bundle includes it; sandbox-safe.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
