/* hazardtrack — small progressive enhancements. Every page works without this script; the server validates. */
(function () {
  "use strict";

  // Print buttons (no inline handlers: the Content-Security-Policy allows scripts from this site only).
  document.addEventListener("click", function (event) {
    var target = event.target.closest && event.target.closest("[data-print]");
    if (target) { event.preventDefault(); window.print(); }
    var back = event.target.closest && event.target.closest("[data-back]");
    if (back && window.history.length > 1) { event.preventDefault(); window.history.back(); }
  });

  // Category → sub-product: offer only the chosen category's sub-products.
  function linkSubProducts(select) {
    var form = select.form;
    if (!form) return;
    var category = form.querySelector("select[name=category]");
    if (!category) return;
    var blank = select.querySelector("option[value='']");
    var blankText = blank ? blank.textContent : "";
    function update() {
      var chosen = category.value;
      var any = false;
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        var match = !chosen || group.getAttribute("data-group") === chosen;
        group.hidden = !match;
        group.disabled = !match;
        if (match) any = true;
      });
      var current = select.selectedOptions[0];
      if (current && current.parentNode.tagName === "OPTGROUP" && current.parentNode.disabled) {
        select.value = "";
      }
      var prompt = select.getAttribute("data-prompt") || blankText;
      if (blank) blank.textContent = !chosen ? blankText : (any ? prompt : "（该类别无细分产品）");
      select.disabled = Boolean(chosen) && !any;
    }
    category.addEventListener("change", update);
    update();
  }

  // Enterprise search: suggestions by name or USCC in a <datalist>, chosen with the keyboard or the mouse.
  function linkEnterpriseSearch(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var status = document.getElementById(input.getAttribute("data-status"));
    if (!list) return;
    var timer = null, last = "", known = {};
    function show(text) { if (status) status.textContent = text; }
    var hint = status ? status.textContent : "";
    function describe() {
      var value = input.value.trim().toUpperCase();
      if (known[value]) show("已选择：" + known[value]);
      else if (value.length === 18) show(hint);
    }
    function search() {
      var q = input.value.trim();
      if (q.length < 2 || q === last) { describe(); return; }
      last = q;
      fetch("/enterprises/search?format=json&q=" + encodeURIComponent(q), {
        headers: { "Accept": "application/json" }, credentials: "same-origin"
      }).then(function (r) { return r.ok ? r.json() : { items: [] }; }).then(function (data) {
        list.innerHTML = "";
        data.items.forEach(function (e) {
          var option = document.createElement("option");
          option.value = e.uscc;
          option.label = e.name + "（" + e.unit + "）";
          option.textContent = e.name + "（" + e.unit + "）";
          list.appendChild(option);
          known[e.uscc] = e.name + "（" + e.unit + "）";
        });
        if (!data.items.length) show("没有找到匹配的企业，可先登记企业");
        else if (!known[input.value.trim().toUpperCase()]) show("找到 " + data.items.length + " 家企业，按 ↓ 选择");
        describe();
      }).catch(function () { /* the plain search page still works */ });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("change", describe);
    if (input.value) search();
  }

  // "Add a row" for item tables (财物清单): clone the last row with the next index.
  function linkAddRow(button) {
    var name = button.getAttribute("data-target");
    var table = button.closest("fieldset").querySelector("table[data-items='" + name + "'] tbody");
    if (!table) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var rows = table.querySelectorAll("tr");
      var last = rows[rows.length - 1];
      var index = rows.length;
      var row = last.cloneNode(true);
      row.querySelector("td.num").textContent = String(index + 1);
      Array.prototype.forEach.call(row.querySelectorAll("input"), function (input) {
        input.name = input.name.replace(/-(\d+)-/, "-" + index + "-");
        input.value = "";
        input.setAttribute("aria-label", input.getAttribute("aria-label").replace(/第 \d+ 行/, "第 " + (index + 1) + " 行"));
      });
      table.appendChild(row);
      row.querySelector("input").focus();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("select[data-grouped]"), linkSubProducts);
    Array.prototype.forEach.call(document.querySelectorAll("input[data-enterprise-search]"), linkEnterpriseSearch);
    Array.prototype.forEach.call(document.querySelectorAll("button.add-row"), linkAddRow);
    var box = document.querySelector("[data-autofocus]");
    if (box) {
      var details = box.closest("details");
      if (details) details.open = true;
      box.scrollIntoView({ block: "center" });
      box.focus({ preventScroll: true });
    }
  });
})();
