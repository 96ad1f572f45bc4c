/** The service and host families' failure kinds. */
import { ActionError } from '../errors';

/** The effect (deregistered, registered, answering) did not show within waitTimeout: retryable. */
export class ServiceWaitTimeoutError extends ActionError {
  constructor(host: string, what: string, waitTimeoutMs: number, details: Record<string, unknown> = {}) {
    super('SERVICE_WAIT_TIMEOUT', `${host}: ${what} not seen within ${waitTimeoutMs} ms`, true, {
      host,
      what,
      waitTimeoutMs,
      ...details,
    });
  }
}

/** The service was started but its process exited before it came up: retrying the same start will not help. */
export class ServiceStartFailedError extends ActionError {
  constructor(host: string, details: Record<string, unknown> = {}) {
    super('SERVICE_START_FAILED', `${host}: the service exited during start-up`, false, { host, ...details });
  }
}

/** The control command printed something this family cannot interpret. */
export class ServiceControlError extends ActionError {
  constructor(host: string, message: string, details: Record<string, unknown> = {}) {
    super('SERVICE_CONTROL_FAILED', `${host}: ${message}`, false, { host, ...details });
  }
}
