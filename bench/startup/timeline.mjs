// bench/startup/timeline.mjs — where the first screen's time goes inside
// WebKitGTK (the engine of Pauta's window), from its own inspector: the page
// is reloaded with the Timeline and the JS sampling profiler on, and the
// frame that paints the calendar is broken down (script, style, layout,
// paint) with the JS functions that took the most samples.
// Run by timeline.sh, which starts the app with WEBKIT_INSPECTOR_HTTP_SERVER.
// A reload is warmer than a cold start (the web process and its caches are
// up), so read the parts against each other, and the cold totals in run.sh.
//   node --experimental-websocket bench/startup/timeline.mjs ws://127.0.0.1:PORT/socket/1/1/WebPage
const url = process.argv[2];
const ws = new WebSocket(url);
let seq = 0;
let target = null;
const waiting = new Map();
const records = [];
let samples = [];

function send(method, params = {}) {
  const id = ++seq;
  const inner = JSON.stringify({ id, method, params });
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    ws.send(JSON.stringify({ id: 1e6 + id, method: 'Target.sendMessageToTarget', params: { targetId: target, message: inner } }));
  });
}

ws.onmessage = (ev) => {
  const m = JSON.parse(ev.data);
  if (m.method === 'Target.targetCreated' && !target) {
    target = m.params.targetInfo.targetId;
    run().catch((e) => {
      console.error(e);
      process.exit(1);
    });
  } else if (m.method === 'Target.dispatchMessageFromTarget') {
    const inner = JSON.parse(m.params.message);
    if (inner.id && waiting.has(inner.id)) {
      waiting.get(inner.id)(inner);
      waiting.delete(inner.id);
    } else if (inner.method === 'Timeline.eventRecorded') records.push(inner.params.record);
    else if (inner.method === 'ScriptProfiler.trackingComplete') samples = inner.params.samples?.stackTraces ?? [];
  }
};
ws.onerror = () => {
  console.error(`timeline: cannot reach the inspector at ${url}`);
  process.exit(1);
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function run() {
  for (const m of ['Inspector.enable', 'Page.enable', 'Timeline.enable', 'Inspector.initialized']) await send(m);
  await send('Timeline.setInstruments', { instruments: ['ScriptProfiler', 'Timeline'] });
  await send('ScriptProfiler.startTracking', { includeSamples: true });
  await send('Timeline.start');
  await send('Page.reload');
  await sleep(2500);
  await send('Timeline.stop');
  await send('ScriptProfiler.stopTracking');
  await sleep(800);
  report();
  process.exit(0);
}

function report() {
  // Flatten: every record with its start, duration (ms) and type.
  const all = [];
  const walk = (r, depth) => {
    if (r.startTime !== undefined && r.endTime !== undefined) all.push({ type: r.type, start: r.startTime * 1000, ms: (r.endTime - r.startTime) * 1000, depth, data: r.data ?? {} });
    for (const c of r.children ?? []) walk(c, depth + 1);
  };
  records.forEach((r) => walk(r, 0));
  if (!all.length) {
    console.log('timeline: no records (is this WebKitGTK with the inspector server on?)');
    return;
  }
  const t0 = Math.min(...all.map((r) => r.start));
  // The first full-window paint after the app's script ran: the calendar's.
  const script = all.find((r) => r.type === 'EvaluateScript' && /\/assets\/index-/.test(r.data.url ?? ''));
  const paint = all.find((r) => r.type === 'Paint' && script && r.start >= script.start);
  const inFrame = (r) => script && paint && r.start >= script.start && r.start < paint.start + paint.ms;
  const sum = (type) => all.filter((r) => r.type === type && inFrame(r)).reduce((a, r) => a + r.ms, 0);
  const f = (n) => n.toFixed(1).padStart(7);
  console.log('\nFirst calendar frame after a reload (ms since the reload, from WebKit\'s timeline)');
  if (!script || !paint) {
    console.log('  the app script or its paint was not found; records:', [...new Set(all.map((r) => r.type))].join(', '));
    return;
  }
  const style = sum('RecalculateStyles');
  const layout = sum('Layout');
  console.log(`  app script starts ${f(script.start - t0)}   painted at ${f(paint.start + paint.ms - t0)}`);
  console.log(`  script (incl. forced style/layout) ${f(script.ms)}   of which style ${f(style)}  layout ${f(layout)}   JS alone ~${f(script.ms - style - layout)}`);
  console.log(`  paint ${f(paint.ms)}`);
  // JS samples: self time by function, and by innermost Svelte component.
  const self = new Map();
  const comp = new Map();
  for (const s of samples) {
    const fr = s.stackFrames ?? [];
    if (!fr.length) continue;
    const top = `${fr[0].name || '(anonymous)'} ${fr[0].url ? fr[0].url.split('/').pop() + ':' + fr[0].line : '(native)'}`;
    self.set(top, (self.get(top) ?? 0) + 1);
    const c = fr.find((x) => /^[A-Z][A-Za-z]{2,}$/.test(x.name) && x.url.includes('/assets/')); // minified names are shorter
    const k = c ? c.name : '(outside components)';
    comp.set(k, (comp.get(k) ?? 0) + 1);
  }
  const top = (m, n) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
  console.log(`\nJS samples: ${samples.length} (names are minified unless the bundle was built without minify)`);
  console.log('  by innermost component:');
  for (const [k, v] of top(comp, 12)) console.log(`    ${String(v).padStart(5)}  ${k}`);
  console.log('  by function (self):');
  for (const [k, v] of top(self, 15)) console.log(`    ${String(v).padStart(5)}  ${k}`);
}
