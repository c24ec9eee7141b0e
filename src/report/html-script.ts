import { createHash } from 'node:crypto';

/** Rows a long table shows at once (more on request), so sorting 10,000 incidents stays quick. */
export const ROWS_SHOWN = 500;

/**
 * The report's only script, inline and allowed by the page's Content-Security-Policy through its
 * SHA-256 hash. It enhances what the HTML already shows: every table marked `data-table` gets
 * sortable column headers and a filter box, long tables show ${ROWS_SHOWN} rows at a time, and a
 * link to a collapsed section opens it. Without it the page reads the same, every row shown, in
 * the order the renderer chose.
 */
export const REPORT_SCRIPT = `(function () {
  'use strict';
  var PAGE = ${ROWS_SHOWN};
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  function keyOf(cell) {
    if (!cell) return '';
    var value = cell.getAttribute('data-sort');
    return value === null ? cell.textContent.trim() : value;
  }
  function setUp(table) {
    var body = table.tBodies[0];
    if (!body || !table.tHead) return;
    var original = Array.prototype.slice.call(body.rows);
    var rows = original.slice();
    var texts = null;
    var terms = [];
    var limit = PAGE;
    var tools = document.createElement('div');
    tools.className = 'table-tools';
    var label = document.createElement('label');
    label.appendChild(document.createTextNode('Filter ' + (table.getAttribute('data-table') || 'rows') + ' '));
    var input = document.createElement('input');
    input.type = 'search';
    input.autocomplete = 'off';
    input.spellcheck = false;
    label.appendChild(input);
    var status = document.createElement('span');
    status.className = 'note';
    status.setAttribute('role', 'status');
    tools.appendChild(label);
    tools.appendChild(status);
    var more = document.createElement('button');
    more.type = 'button';
    more.className = 'more';
    more.hidden = true;
    var holder = table.parentNode.classList.contains('table-scroll') ? table.parentNode : table;
    holder.parentNode.insertBefore(tools, holder);
    holder.parentNode.insertBefore(more, holder.nextSibling);
    function matches(index) {
      if (terms.length === 0) return true;
      if (texts === null) texts = original.map(function (row) { return row.textContent.toLowerCase(); });
      var text = texts[index];
      return terms.every(function (term) { return text.indexOf(term) !== -1; });
    }
    var positions = new Map(original.map(function (row, index) { return [row, index]; }));
    function show() {
      var matched = 0;
      rows.forEach(function (row) {
        var match = matches(positions.get(row));
        if (match) matched += 1;
        var visible = match && matched <= limit;
        if (row.hidden === visible) row.hidden = !visible;
      });
      var text = terms.length === 0 ? '' : matched + ' of ' + original.length + ' match';
      if (matched > limit) text += (text ? '; ' : '') + 'showing the first ' + limit + ' of ' + matched;
      status.textContent = text;
      more.hidden = matched <= limit;
      more.textContent = 'Show ' + Math.min(PAGE, matched - limit) + ' more';
    }
    more.addEventListener('click', function () { limit += PAGE; show(); });
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    heads.forEach(function (head, column) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      while (head.firstChild) button.appendChild(head.firstChild);
      head.appendChild(button);
      button.addEventListener('click', function () {
        var ascending = head.getAttribute('aria-sort') !== 'ascending';
        heads.forEach(function (other) { other.removeAttribute('aria-sort'); });
        head.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var numeric = head.getAttribute('data-type') === 'number';
        var keyed = rows.map(function (row, index) { return { row: row, key: keyOf(row.cells[column]), index: index }; });
        keyed.sort(function (left, right) {
          var leftEmpty = left.key === '';
          var rightEmpty = right.key === '';
          if (leftEmpty || rightEmpty) return leftEmpty === rightEmpty ? left.index - right.index : leftEmpty ? 1 : -1;
          var order = numeric ? Number(left.key) - Number(right.key) : collator.compare(left.key, right.key);
          return (ascending ? order : -order) || left.index - right.index;
        });
        rows = keyed.map(function (entry) { return entry.row; });
        limit = PAGE;
        show();
        var fragment = document.createDocumentFragment();
        rows.forEach(function (row) { fragment.appendChild(row); });
        body.appendChild(fragment);
      });
    });
    var timer = 0;
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        terms = input.value.toLowerCase().split(/\\s+/).filter(Boolean);
        limit = PAGE;
        show();
      }, original.length > 2000 ? 150 : 0);
    });
    show();
  }
  Array.prototype.forEach.call(document.querySelectorAll('table[data-table]'), setUp);
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id ? document.getElementById(id) : null;
    if (!target) return;
    for (var node = target; node; node = node.parentElement) if (node.tagName === 'DETAILS') node.open = true;
    target.scrollIntoView();
  }
  window.addEventListener('hashchange', reveal);
  reveal();
})();`;

/** The CSP source that allows exactly REPORT_SCRIPT. */
export const REPORT_SCRIPT_HASH = `sha256-${createHash('sha256').update(REPORT_SCRIPT, 'utf8').digest('base64')}`;

/** report.html: no network at all; inline styles, data: images, and only the script above. */
export const CONTENT_SECURITY_POLICY = `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src '${REPORT_SCRIPT_HASH}'`;
/** The pages beside report.html: no network and no script. */
export const CONTENT_SECURITY_POLICY_NO_SCRIPT = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
