// libvips (npm sharp) doing what media-bench does: the five main presets as
// centre fills, JPEG q85, two at a time, each sharp(file) with its own
// shrink-on-load decode. sharp's operation cache is off so warm runs cannot
// reuse a decoded file.
//
//   node sharp.cjs fresh FILE OUTDIR     one run: prints "ms <t> cpu_ms <c> rss_kb <peak>"
//   node sharp.cjs warm FILE OUTDIR N    a warm-up, then N runs
const path = require('node:path');

const [mode, file, outDir, nArg] = process.argv.slice(2);
const sharp = require(path.resolve(outDir, 'node_modules', 'sharp'));
sharp.cache(false);

const presets = [[1080, 1080], [1080, 1350], [1080, 1920], [1600, 900], [1000, 1500]];

function one([w, h]) {
  return sharp(file)
    .resize(w, h, { fit: 'cover' })
    .jpeg({ quality: 85 })
    .toFile(path.join(outDir, `sharp-${w}x${h}.jpg`));
}

let lastCPU = 0;
async function run() {
  const c = process.cpuUsage();
  const t = process.hrtime.bigint();
  const queue = presets.slice();
  const lane = async () => {
    while (queue.length) await one(queue.shift());
  };
  await Promise.all([lane(), lane()]);
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const d = process.cpuUsage(c);
  lastCPU = (d.user + d.system) / 1000;
  return ms;
}

(async () => {
  if (mode === 'fresh') {
    const ms = await run();
    console.log(`ms ${ms.toFixed(1)} cpu_ms ${lastCPU.toFixed(1)} rss_kb ${process.resourceUsage().maxRSS}`);
  } else if (mode === 'warm') {
    await run();
    for (let i = 0; i < Number(nArg || 5); i++) {
      const ms = await run();
      console.log(`ms ${ms.toFixed(1)} cpu_ms ${lastCPU.toFixed(1)}`);
    }
    console.log(`rss_kb ${process.resourceUsage().maxRSS}`);
  } else {
    console.error('usage: node sharp.cjs fresh|warm FILE OUTDIR [N]');
    process.exit(2);
  }
})();
