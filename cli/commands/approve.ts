/** `rekindle approve RUN GATE --as NAME`. */
import { verdictCommand } from '../client/verdict';

export const command = verdictCommand('approve');
