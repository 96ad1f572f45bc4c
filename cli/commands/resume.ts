/** `rekindle resume RUN`: lets held steps start again. */
import { runControlCommand } from '../client/run-control';

export const command = runControlCommand('resume', 'Let a paused run start steps again', 'resumeUpdate');
