/** `rekindle resume RUN`: lets held steps start again. */
import { runControlCommand } from '../client/run-control';
import { resumeUpdate } from '../../workflows/messages';

export const command = runControlCommand('resume', 'Let a paused run start steps again', resumeUpdate);
