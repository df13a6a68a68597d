// Pauta: runs right after a kept first frame (app/firstframe.go), before it
// is painted. The frame was drawn with the remembered on/off choices in its
// data-flags; when this web view now remembers otherwise (another workspace
// changed them, storage was cleared), the frame goes and the app draws the
// first screen itself.
(function () {
  var frame = document.querySelector('#app > [data-frame]');
  if (!frame) return;
  try {
    var want = JSON.parse(frame.getAttribute('data-flags') || '{}');
    for (var k in want) {
      if ((localStorage.getItem(k) || '') !== want[k]) {
        frame.remove();
        return;
      }
    }
  } catch (e) {
    frame.remove();
  }
})();
