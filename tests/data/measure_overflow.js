// Injected into a built page by tests/test_book_html.py and run by headless Chromium (after MathJax):
// lists every display equation, table, code block, image or cell output that is clipped at the edge of the
// article column or reaches beyond it (into the margin or the contents sidebar) without scrolling in a
// frame of its own, and every shown code line longer than its block holds (it would wrap without its
// indentation). The result goes, as JSON, into a pre element with the id overflow-report.
(function () {
  function report() {
    const col = document.querySelector('article.bd-article') || document.querySelector('main');
    const right = col.getBoundingClientRect().right;
    const scrolling = (el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
    const inScrollingFrame = (el) => {
      for (let a = el; a && a !== col; a = a.parentElement) { if (scrolling(a)) return true; }
      return false;
    };
    const out = [];
    const sel = 'mjx-container[display="true"], table, pre, img, div.math, div.cell_output';
    col.querySelectorAll(sel).forEach((el) => {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || inScrollingFrame(el)) return;
      const beyond = r.right > right + 1;
      const clipped = el.scrollWidth > el.clientWidth + 1 && ['hidden', 'clip'].includes(getComputedStyle(el).overflowX);
      if (beyond || clipped) {
        out.push(el.tagName.toLowerCase() + (beyond ? ' reaches ' + Math.round(r.right - right) + ' px beyond the column'
                 : ' clipped by ' + (el.scrollWidth - el.clientWidth) + ' px') + ': ' + (el.textContent || '').trim().slice(0, 50));
      }
    });
    // tables that fit only by scrolling in their frame: a reader at this width sees part of them
    // (measured against the column's content box, inside its padding, where the text runs)
    const cs = getComputedStyle(col);
    const content = col.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    const scrolled = [];
    col.querySelectorAll('table').forEach((el) => {
      const w = Math.round(el.getBoundingClientRect().width);
      if (w === 0) return;
      const ths = Array.from(el.querySelectorAll('th')).map((th) => th.textContent.trim());
      const head = ths.length ? ths.join(' | ') : el.textContent.trim();
      if (w > content + 1) scrolled.push(w + ' px: ' + head.slice(0, 70));
    });
    // shown code lines (a cell's, or a code block in the prose) longer than their block holds: pre-wrap keeps
    // them in the column, but a wrapped line has no hanging indent and reads as two statements
    const wrapped = [];
    col.querySelectorAll('div.cell_input pre, div.highlight pre').forEach((el) => {
      if (el.getBoundingClientRect().width === 0 || el.closest('details:not([open])')) return;   // folded
      const es = getComputedStyle(el);
      const room = el.clientWidth - parseFloat(es.paddingLeft) - parseFloat(es.paddingRight);
      const probe = document.createElement('span');
      probe.style.whiteSpace = 'pre';
      probe.textContent = 'x'.repeat(100);
      el.appendChild(probe);
      const holds = Math.floor(room / (probe.getBoundingClientRect().width / 100));
      probe.remove();
      el.textContent.split('\n').forEach((line) => {
        if (line.length > holds) wrapped.push(line.length + ' chars, the block holds ' + holds + ': ' + line.trim().slice(0, 50));
      });
    });
    const pre = document.createElement('pre');
    pre.id = 'overflow-report';
    pre.textContent = JSON.stringify({column: Math.round(col.getBoundingClientRect().width),
                                      equations: document.querySelectorAll('mjx-container[display="true"]').length,
                                      math_errors: Array.from(document.querySelectorAll('mjx-merror'))
                                        .map((e) => (e.getAttribute('data-mjx-error') || e.textContent).slice(0, 80)),
                                      overflow: out, scrolled_tables: scrolled, wrapped_code: wrapped, content: Math.round(content)});
    document.body.appendChild(pre);
  }
  const go = () => (window.MathJax && MathJax.startup && MathJax.startup.promise)
    ? MathJax.startup.promise.then(report) : report();
  if (document.readyState === 'complete') go(); else window.addEventListener('load', go);
})();
