import { restartTemporal } from './lab';
restartTemporal().then(() => console.log('restarted'), (e) => { console.error(e); process.exit(1); });
