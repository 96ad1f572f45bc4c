/** `rekindle reject RUN GATE --as NAME`. */
import { verdictCommand } from '../client/verdict';

export const command = verdictCommand('reject');
