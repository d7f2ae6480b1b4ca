// Key-to-screen latency of the drawn dashboard while a walk runs (issue 12 item 17): in a pty at
// 120x40, press ? (help) and q (back) 30 times and time each until the pty delivers the frame.
// Usage: npm run build; node scripts/dashboard-key-latency.mjs topologies/x86-64tib-5level.yaml --mode per-pfn --timeout 6000
import pty from '@lydell/node-pty';
const [,, topology = 'topologies/x86-64tib-5level.yaml', ...extra] = process.argv;
const child = pty.spawn(process.execPath, ['dist/source/cli/bin.js', topology, ...extra], {name: 'xterm-256color', cols: 120, rows: 40, cwd: new URL('..', import.meta.url).pathname, env: Object.fromEntries(Object.entries({...process.env, TERM: 'xterm-256color'}).filter(([k]) => k !== 'CI'))});
let buffer = '';
let waiter;
child.onData(data => { buffer += data; if (waiter && waiter.test(buffer.slice(waiter.mark))) { const w = waiter; waiter = undefined; w.resolve(); } });
const sleep = ms => new Promise(r => setTimeout(r, ms));
const until = (test, ms = 5000) => new Promise((resolve, reject) => { waiter = {test, resolve, mark: buffer.length}; setTimeout(() => reject(new Error('timeout')), ms); });
await sleep(200);
for (let i = 0; i < 100 && !/pfn\/s/.test(buffer); i++) await sleep(100);
await sleep(800);
const times = [];
const names = [/Help/, /Tally/];
for (let i = 0; i < 30; i++) {
  const key = i % 2 === 0 ? '?' : 'q';
  const expect = names[i % 2];
  const started = performance.now();
  const p = until(data => expect.test(data));
  child.write(key);
  try { await p; times.push(performance.now() - started); } catch (e) { if (i < 2) console.log(String(e)); times.push(NaN); }
  await sleep(37 + Math.random() * 60);
}
const running = /▶ \d/.test(buffer.slice(-4000)) || /starting|pfn\/s/.test(buffer.slice(-4000));
child.write('q');
await sleep(300);
child.kill();
times.sort((a, b) => a - b);
const q = p => times[Math.floor(p * (times.length - 1))].toFixed(0);
console.log(`n=${times.length} median ${q(0.5)} ms p90 ${q(0.9)} max ${q(1)} min ${q(0)}; still running at end: ${/done \d/.test(buffer.slice(-3000)) ? 'no' : 'yes'}`);
process.exit(0);
