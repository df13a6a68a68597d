(function () {
  'use strict';
  // The approval page's only script: collects the decisions and writes the
  // answer (answer.go reads it). No network, no storage, no eval.
  var K = [0x428a2f98,0x71374491,0xb5c0fbcf,0xe9b5dba5,0x3956c25b,0x59f111f1,0x923f82a4,0xab1c5ed5,0xd807aa98,0x12835b01,0x243185be,0x550c7dc3,0x72be5d74,0x80deb1fe,0x9bdc06a7,0xc19bf174,0xe49b69c1,0xefbe4786,0x0fc19dc6,0x240ca1cc,0x2de92c6f,0x4a7484aa,0x5cb0a9dc,0x76f988da,0x983e5152,0xa831c66d,0xb00327c8,0xbf597fc7,0xc6e00bf3,0xd5a79147,0x06ca6351,0x14292967,0x27b70a85,0x2e1b2138,0x4d2c6dfc,0x53380d13,0x650a7354,0x766a0abb,0x81c2c92e,0x92722c85,0xa2bfe8a1,0xa81a664b,0xc24b8b70,0xc76c51a3,0xd192e819,0xd6990624,0xf40e3585,0x106aa070,0x19a4c116,0x1e376c08,0x2748774c,0x34b0bcb5,0x391c0cb3,0x4ed8aa4a,0x5b9cca4f,0x682e6ff3,0x748f82ee,0x78a5636f,0x84c87814,0x8cc70208,0x90befffa,0xa4506ceb,0xbef9a3f7,0xc67178f2];

  // sha256 of bytes, in lower-case hex (FIPS 180-4).
  function sha256(m) {
    var H = [0x6a09e667,0xbb67ae85,0x3c6ef372,0xa54ff53a,0x510e527f,0x9b05688c,0x1f83d9ab,0x5be0cd19];
    var l = m.length, n = ((l + 9 + 63) >> 6) << 6, b = new Uint8Array(n), w = new Array(64), i, o;
    b.set(m);
    b[l] = 0x80;
    var hi = Math.floor(l / 0x20000000), lo = (l * 8) >>> 0;
    b[n - 8] = hi >>> 24; b[n - 7] = (hi >>> 16) & 255; b[n - 6] = (hi >>> 8) & 255; b[n - 5] = hi & 255;
    b[n - 4] = lo >>> 24; b[n - 3] = (lo >>> 16) & 255; b[n - 2] = (lo >>> 8) & 255; b[n - 1] = lo & 255;
    for (o = 0; o < n; o += 64) {
      for (i = 0; i < 16; i++) w[i] = (b[o + 4 * i] << 24) | (b[o + 4 * i + 1] << 16) | (b[o + 4 * i + 2] << 8) | b[o + 4 * i + 3];
      for (i = 16; i < 64; i++) {
        var x = w[i - 15], y = w[i - 2];
        var s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
        var s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
        w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
      }
      var a = H[0], c1 = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], h = H[7];
      for (i = 0; i < 64; i++) {
        var S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
        var t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
        var S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
        var t2 = (S0 + ((a & c1) ^ (a & c) ^ (c1 & c))) | 0;
        h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = c1; c1 = a; a = (t1 + t2) | 0;
      }
      H[0] = (H[0] + a) | 0; H[1] = (H[1] + c1) | 0; H[2] = (H[2] + c) | 0; H[3] = (H[3] + d) | 0;
      H[4] = (H[4] + e) | 0; H[5] = (H[5] + f) | 0; H[6] = (H[6] + g) | 0; H[7] = (H[7] + h) | 0;
    }
    var out = '';
    for (i = 0; i < 8; i++) out += ('0000000' + (H[i] >>> 0).toString(16)).slice(-8);
    return out;
  }

  var ds = document.body.dataset;
  var posts = [].slice.call(document.querySelectorAll('article.post'));
  var progress = document.getElementById('progress');
  var problem = document.getElementById('problem');
  var answer = document.getElementById('answer');
  var text = document.getElementById('answer-text');
  var link = document.getElementById('download');
  var copied = document.getElementById('copied');

  function say(s, kv) {
    for (var k in kv) s = s.split('{' + k + '}').join(String(kv[k]));
    return s;
  }
  function choice(p) {
    var r = p.querySelector('input[type=radio]:checked');
    return r ? r.value : '';
  }
  function update() {
    var n = 0;
    posts.forEach(function (p) {
      var c = choice(p);
      p.classList.toggle('is-approved', c === 'approved');
      p.classList.toggle('is-changes', c === 'changes');
      if (c) n++;
    });
    progress.textContent = say(ds.tProgress, { n: n, total: posts.length });
  }
  function utf8(s) {
    return new TextEncoder().encode(s);
  }
  function base64(bytes) {
    var s = '';
    for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return btoa(s);
  }
  function send() {
    problem.textContent = '';
    var decided = [], summary = [];
    for (var i = 0; i < posts.length; i++) {
      var p = posts[i], c = choice(p), note = p.querySelector('textarea').value.trim();
      if (!c) continue;
      if (c === 'changes' && !note) {
        problem.textContent = say(ds.tNeedComment, { n: p.dataset.number });
        p.querySelector('textarea').focus();
        return;
      }
      decided.push({ id: Number(p.dataset.postId), hash: p.dataset.hash, d: c, c: note });
      summary.push(p.dataset.number + '. ' + (c === 'approved' ? ds.tApproved : ds.tChanges) + (note ? ': ' + note.replace(/\s+/g, ' ') : ''));
    }
    if (!decided.length) {
      problem.textContent = ds.tNoneDecided;
      return;
    }
    var body = utf8(JSON.stringify({ v: 1, pkg: ds.package, ws: ds.workspace, client: Number(ds.client), posts: decided }));
    var sum = utf8('\n' + sha256(body));
    var all = new Uint8Array(body.length + sum.length);
    all.set(body);
    all.set(sum, body.length);
    var b = base64(all), lines = [];
    for (var j = 0; j < b.length; j += 64) lines.push(b.slice(j, j + 64));
    var out = ds.title + '\n' + summary.join('\n') + '\n\n-----BEGIN PAUTA APPROVAL-----\n' + lines.join('\n') + '\n-----END PAUTA APPROVAL-----\n';
    text.value = out;
    if (link.href && link.href.indexOf('blob:') === 0) URL.revokeObjectURL(link.href);
    link.href = URL.createObjectURL(new Blob([out], { type: 'text/plain;charset=utf-8' }));
    answer.hidden = false;
    answer.scrollIntoView();
  }
  function copy() {
    text.select();
    var done = function () { copied.hidden = false; };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text.value).then(done, function () { if (document.execCommand('copy')) done(); });
    } else if (document.execCommand('copy')) {
      done();
    }
  }
  document.addEventListener('change', update);
  document.getElementById('send-back').addEventListener('click', send);
  document.getElementById('copy').addEventListener('click', copy);
  document.documentElement.classList.add('js');
  update();
})();
