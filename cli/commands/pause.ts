/** `rekindle pause RUN`: holds new steps from starting (running steps finish). */
import { runControlCommand } from '../client/run-control';

export const command = runControlCommand('pause', 'Hold new steps of a run from starting', 'pauseUpdate');
