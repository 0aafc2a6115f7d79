// The browser side of kvorum's task view (see kvorum/web/taskview).
//
// Each <section class="kv-task"> carries a JSON configuration (script.kv-task-config, never
// executed): the expressions its branches, texts and validations refer to by number, and the
// template-builder hotkeys, triggers and task width. This script reads the worker's answers from
// the controls (data-output / data-internal / data-local, read by their data-kv-kind), keeps the
// page in step with them, and on submit writes every task's answers into the hidden input
// `solutions` as [{"output_values": {...}}, ...]. The server checks them again.
(function () {
  "use strict";

  var SOURCES = ["output", "internal", "local"];
  var tasks = [];
  var lastTask = null;

  function canonical(value) {
    if (Array.isArray(value)) {
      return "[" + value.map(canonical).join(",") + "]";
    }
    if (value !== null && typeof value === "object") {
      return "{" + Object.keys(value).sort().map(function (key) {
        return JSON.stringify(key) + ":" + canonical(value[key]);
      }).join(",") + "}";
    }
    return JSON.stringify(value === undefined ? null : value);
  }

  function same(left, right) {
    return canonical(left) === canonical(right);
  }

  function isEmpty(value) {
    return value === undefined || value === null || value === "" ||
      (Array.isArray(value) && value.length === 0) ||
      (typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 0);
  }

  function text(value) {
    if (value === undefined || value === null) {
      return "";
    }
    return typeof value === "string" ? value : JSON.stringify(value);
  }

  function getPath(values, path) {
    if (path === undefined || path === null || path === "") {
      return values;
    }
    var current = values;
    var parts = String(path).split(".");
    for (var i = 0; i < parts.length; i++) {
      if (current === null || typeof current !== "object") {
        return undefined;
      }
      current = current[parts[i]];
    }
    return current;
  }

  function setPath(values, path, value) {
    var parts = String(path).split(".");
    var current = values;
    for (var i = 0; i < parts.length - 1; i++) {
      if (current[parts[i]] === null || typeof current[parts[i]] !== "object") {
        current[parts[i]] = {};
      }
      current = current[parts[i]];
    }
    if (value === undefined) {
      delete current[parts[parts.length - 1]];
    } else {
      current[parts[parts.length - 1]] = value;
    }
  }

  // Expressions: the same language as kvorum/web/taskview/expressions.py.

  var TYPES = {
    string: function (v) { return typeof v === "string"; },
    number: function (v) { return typeof v === "number" && isFinite(v); },
    integer: function (v) { return typeof v === "number" && Number.isInteger(v); },
    boolean: function (v) { return typeof v === "boolean"; },
    object: function (v) { return v !== null && typeof v === "object" && !Array.isArray(v); },
    array: function (v) { return Array.isArray(v); },
    "null": function (v) { return v === null || v === undefined; }
  };

  function schemaAllows(schema, value) {
    if (schema.type !== undefined) {
      var names = Array.isArray(schema.type) ? schema.type : [schema.type];
      if (!names.some(function (name) { return !TYPES[name] || TYPES[name](value); })) {
        return false;
      }
    }
    if (Array.isArray(schema["enum"]) && !schema["enum"].some(function (option) { return same(option, value); })) {
      return false;
    }
    if ("const" in schema && !same(schema["const"], value)) {
      return false;
    }
    if (typeof value === "string") {
      if (value.length < (schema.minLength || 0) || (schema.maxLength !== undefined && value.length > schema.maxLength)) {
        return false;
      }
      if (schema.pattern !== undefined) {
        try {
          if (!new RegExp(schema.pattern).test(value)) {
            return false;
          }
        } catch (ignored) {
          // a pattern the browser cannot compile is not checked, as on the server
        }
      }
    }
    if (typeof value === "number") {
      if ((typeof schema.minimum === "number" && value < schema.minimum) ||
          (typeof schema.maximum === "number" && value > schema.maximum) ||
          (typeof schema.exclusiveMinimum === "number" && value <= schema.exclusiveMinimum) ||
          (typeof schema.exclusiveMaximum === "number" && value >= schema.exclusiveMaximum)) {
        return false;
      }
    }
    if (Array.isArray(value)) {
      if (value.length < (schema.minItems || 0) || (schema.maxItems !== undefined && value.length > schema.maxItems)) {
        return false;
      }
      if (schema.items && typeof schema.items === "object" &&
          !value.every(function (item) { return schemaAllows(schema.items, item); })) {
        return false;
      }
    }
    if (TYPES.object(value)) {
      if ((schema.required || []).some(function (name) { return !(name in value); })) {
        return false;
      }
      var properties = schema.properties || {};
      return Object.keys(properties).every(function (name) {
        return !(name in value) || typeof properties[name] !== "object" || schemaAllows(properties[name], value[name]);
      });
    }
    return true;
  }

  function evaluate(node, state) {
    if (Array.isArray(node)) {
      return node.map(function (item) { return evaluate(item, state); });
    }
    if (node === null || typeof node !== "object") {
      return node;
    }
    var kind = node.type;
    if (typeof kind !== "string") {
      var copy = {};
      Object.keys(node).forEach(function (key) { copy[key] = evaluate(node[key], state); });
      return copy;
    }
    function value(key) { return evaluate(node[key], state); }
    function holds(condition) { return !!evaluate(condition, state); }
    switch (kind) {
      case "kv.value": return node.value;
      case "data.output":
      case "data.internal":
      case "data.local":
      case "data.relative": {
        var source = kind.slice(5);
        var found = getPath(state[source], value("path"));
        return found === undefined || found === null ? value("default") : found;
      }
      case "data.input": return value("default");
      case "condition.required": return !isEmpty(value("data"));
      case "condition.empty": return isEmpty(value("data"));
      case "condition.equals": return same(value("data"), value("to"));
      case "condition.not": return !holds(node.condition);
      case "condition.all": return (node.conditions || []).every(holds);
      case "condition.any": return (node.conditions || []).some(holds);
      case "condition.schema": return schemaAllows(node.schema || {}, value("data"));
      case "helper.if": return holds(node.condition) ? value("then") : value("else");
      case "helper.switch": {
        var cases = node.cases || [];
        for (var i = 0; i < cases.length; i++) {
          if (cases[i] && holds(cases[i].condition)) {
            return evaluate(cases[i].result, state);
          }
        }
        return value("default");
      }
      case "helper.join": {
        var items = value("items");
        return (Array.isArray(items) ? items : []).map(text).join(text(value("by")));
      }
      case "helper.replace": return text(value("data")).split(text(value("find"))).join(text(value("replace")));
      case "helper.concat-arrays": {
        var parts = value("items") || [];
        return [].concat.apply([], parts.filter(Array.isArray));
      }
      case "helper.text-transform": {
        var input = text(value("data"));
        var how = value("transformation");
        if (how === "uppercase") { return input.toUpperCase(); }
        if (how === "lowercase") { return input.toLowerCase(); }
        if (how === "capitalize") { return input.charAt(0).toUpperCase() + input.slice(1).toLowerCase(); }
        return input;
      }
      default:
        return kind.indexOf("condition.") === 0 ? true : node;
    }
  }

  // Controls

  function bindingOf(control) {
    for (var i = 0; i < SOURCES.length; i++) {
      if (control.hasAttribute("data-" + SOURCES[i])) {
        return { source: SOURCES[i], path: control.getAttribute("data-" + SOURCES[i]) };
      }
    }
    if (control.hasAttribute("data-relative")) {
      return { source: "relative", path: control.getAttribute("data-relative") };
    }
    return null;
  }

  function isShown(element, boundary) {
    for (var node = element; node && node !== boundary; node = node.parentElement) {
      if (node.hidden) {
        return false;
      }
    }
    return true;
  }

  function parsed(raw) {
    try {
      return JSON.parse(raw);
    } catch (ignored) {
      return raw;
    }
  }

  function numberOf(raw) {
    if (raw === "") {
      return undefined;
    }
    var number = Number(raw);
    return isNaN(number) ? raw : number;
  }

  // Adds one control's value to `values` (an object of values by path).
  function readControl(control, values, path) {
    var kind = control.getAttribute("data-kv-kind");
    var current = getPath(values, path);
    switch (kind) {
      case "boolean": setPath(values, path, control.checked); break;
      case "integer":
      case "float": setPath(values, path, numberOf(control.value)); break;
      case "json": setPath(values, path, control.value.trim() === "" ? undefined : parsed(control.value)); break;
      case "datetime": setPath(values, path, control.value === "" ? undefined : control.value.replace("T", " ")); break;
      case "choice":
        if (control.tagName === "SELECT") {
          setPath(values, path, control.value === "" ? undefined : parsed(control.value));
        } else if (control.checked) {
          setPath(values, path, parsed(control.value));
        }
        break;
      case "choices": {
        var checked = current !== null && typeof current === "object" ? current : {};
        checked[control.value] = control.checked;
        setPath(values, path, checked);
        break;
      }
      case "list": setPath(values, path, readList(control)); break;
      default: setPath(values, path, control.value === "" ? undefined : control.value);
    }
  }

  function itemControls(item) {
    return Array.prototype.filter.call(item.querySelectorAll("[data-relative]"), function (control) {
      return control.closest(".kv-list-item") === item && control.closest(".kv-list-field") === item.closest(".kv-list-field");
    });
  }

  function readItem(item) {
    var holder = { value: undefined };
    var fields = {};
    var whole = false;
    itemControls(item).forEach(function (control) {
      var path = control.getAttribute("data-relative");
      if (path === "") {
        whole = true;
        readControl(control, holder, "value");
      } else {
        readControl(control, fields, path);
      }
    });
    return whole ? holder.value : fields;
  }

  function readList(field) {
    var list = field.querySelector(".kv-list-items");
    var items = [];
    Array.prototype.forEach.call(list.children, function (item) {
      var value = readItem(item);
      if (!isEmpty(value)) {
        items.push(value);
      }
    });
    return items.length ? items : undefined;
  }

  // The state an element's expressions see: inside a field.list item, data.relative is that item.
  function stateFor(element, state) {
    var item = element.closest(".kv-list-item");
    if (!item) {
      return state;
    }
    return { output: state.output, internal: state.internal, local: state.local, relative: readItem(item) };
  }

  function topControls(section) {
    return Array.prototype.filter.call(
      section.querySelectorAll("[data-output], [data-internal], [data-local]"),
      function (control) { return !control.closest(".kv-list-item") && control.hasAttribute("data-kv-kind"); }
    );
  }

  function read(task) {
    var state = { output: {}, internal: {}, local: {} };
    SOURCES.forEach(function (source) {
      Object.keys(task.memory[source]).forEach(function (path) {
        setPath(state[source], path, task.memory[source][path]);
      });
    });
    topControls(task.section).forEach(function (control) {
      if (isShown(control, task.section)) {
        var binding = bindingOf(control);
        readControl(control, state[binding.source], binding.path);
      }
    });
    return state;
  }

  function writeControl(control, value) {
    var kind = control.getAttribute("data-kv-kind");
    if (kind === "boolean") {
      control.checked = !!value;
    } else if (kind === "choice" && control.tagName === "SELECT") {
      control.value = "";
      Array.prototype.forEach.call(control.options, function (option) {
        if (option.value !== "" && same(parsed(option.value), value)) {
          control.value = option.value;
        }
      });
    } else if (kind === "choice") {
      control.checked = value !== undefined && value !== null && same(parsed(control.value), value);
    } else if (kind === "choices") {
      control.checked = !!(value && value[control.value]);
    } else if (kind === "json") {
      control.value = value === undefined || value === null ? "" : JSON.stringify(value);
    } else if (kind !== "list") {
      control.value = value === undefined || value === null ? "" : String(value);
    }
  }

  function setValue(task, target, value) {
    if (!target || typeof target.type !== "string") {
      return;
    }
    var source = target.type.slice(5);
    if (SOURCES.indexOf(source) < 0) {
      return;
    }
    var path = text(evaluate(target.path, read(task)));
    var controls = topControls(task.section).filter(function (control) {
      return control.getAttribute("data-" + source) === path;
    });
    controls.forEach(function (control) { writeControl(control, value); });
    if (controls.length === 0) {
      task.memory[source][path] = value;
    }
  }

  // Actions (hotkeys, triggers)

  function run(task, action) {
    if (!action || typeof action !== "object") {
      return;
    }
    var state = read(task);
    switch (action.type) {
      case "action.set": setValue(task, action.data, evaluate(action.payload, state)); break;
      case "action.toggle": setValue(task, action.data, !evaluate(action.data, state)); break;
      case "action.bulk": (action.payload || []).forEach(function (each) { run(task, each); }); break;
      case "action.open-link": {
        var url = text(evaluate(action.payload, state));
        if (/^https?:\/\//i.test(url)) {
          window.open(url, "_blank", "noopener,noreferrer");
        }
        break;
      }
      case "action.notify": {
        var payload = evaluate(action.payload, state) || {};
        var note = document.createElement("p");
        note.className = "kv-notice kv-notify";
        note.setAttribute("role", "status");
        note.textContent = text(payload.content);
        task.section.insertBefore(note, task.section.firstChild);
        break;
      }
      default:
        break;
    }
  }

  // Keeping the page in step with the answers

  function refresh(task) {
    for (var round = 0; round < 5; round++) {
      var state = read(task);
      task.section.querySelectorAll("[data-kv-show]").forEach(function (branch) {
        var expr = task.config.exprs[Number(branch.getAttribute("data-kv-show"))];
        branch.hidden = !evaluate(expr, stateFor(branch, state));
      });
      task.section.querySelectorAll("[data-kv-text]").forEach(function (element) {
        var expr = task.config.exprs[Number(element.getAttribute("data-kv-text"))];
        element.textContent = text(evaluate(expr, stateFor(element, state)));
      });
      var fired = false;
      (task.config.triggers || []).forEach(function (trigger, index) {
        var watched = canonical(evaluate(trigger.onChangeOf, state));
        var before = task.watched[index];
        task.watched[index] = watched;
        var changed = before === undefined ? trigger.fireImmediately : before !== watched;
        if (changed && (!trigger.condition || evaluate(trigger.condition, state))) {
          run(task, trigger.action);
          fired = true;
        }
      });
      if (!fired) {
        return;
      }
    }
  }

  function validate(task) {
    var state = read(task);
    var first = null;
    task.section.querySelectorAll("[data-kv-validate]").forEach(function (wrapper) {
      var old = wrapper.querySelector(":scope > .kv-client-error");
      if (old) {
        old.remove();
      }
      var controls = wrapper.querySelectorAll("[data-kv-kind]");
      var ok = !isShown(wrapper, task.section) ||
        !!evaluate(task.config.exprs[Number(wrapper.getAttribute("data-kv-validate"))], stateFor(wrapper, state));
      controls.forEach(function (control) {
        if (ok) {
          control.removeAttribute("aria-invalid");
        } else {
          control.setAttribute("aria-invalid", "true");
        }
      });
      if (!ok) {
        var message = document.createElement("p");
        message.className = "kv-error kv-client-error";
        message.setAttribute("role", "alert");
        message.textContent = wrapper.getAttribute("data-kv-message");
        wrapper.appendChild(message);
        first = first || controls[0] || wrapper;
      }
    });
    return first;
  }

  function solutions() {
    return tasks.map(function (task) { return { output_values: read(task).output }; });
  }

  function skipping(event) {
    var submitter = event.submitter;
    return !!submitter && (submitter.hasAttribute("formnovalidate") || /skip/i.test(submitter.value || "") ||
      /skip/i.test(submitter.name || ""));
  }

  function onSubmit(event) {
    var form = event.target;
    if (!skipping(event)) {
      var first = null;
      tasks.forEach(function (task) {
        if (form.contains(task.section)) {
          var failed = validate(task);
          first = first || failed;
        }
      });
      if (first) {
        event.preventDefault();
        if (pager) {
          showPage(tasks.map(function (task) { return task.section; }).indexOf(first.closest(".kv-task")));
        }
        first.focus();
        return;
      }
    }
    var hidden = form.querySelector("input[name='solutions']");
    if (!hidden) {
      hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = "solutions";
      form.appendChild(hidden);
    }
    hidden.value = JSON.stringify(solutions());
  }

  // Keyboard

  function focusedTask() {
    var active = document.activeElement;
    var section = active && active.closest ? active.closest(".kv-task") : null;
    var found = tasks.filter(function (task) { return task.section === section; })[0];
    return found || lastTask || tasks[0];
  }

  function typing(target) {
    if (!target || !target.tagName) {
      return false;
    }
    if (target.isContentEditable || target.tagName === "TEXTAREA" || target.tagName === "SELECT") {
      return true;
    }
    return target.tagName === "INPUT" && ["radio", "checkbox", "button", "submit", "reset"].indexOf(target.type) < 0;
  }

  function keyName(event) {
    var names = { ArrowUp: "up", ArrowDown: "down" };
    return names[event.key] || (event.key.length === 1 ? event.key.toLowerCase() : null);
  }

  function pickOption(task, digit) {
    var active = document.activeElement;
    var groups = Array.prototype.filter.call(task.section.querySelectorAll(".kv-options"), function (group) {
      return isShown(group, task.section) && !group.closest("template");
    });
    var group = groups.filter(function (each) { return each.contains(active); })[0] || groups[0];
    var option = group ? group.querySelector("input[data-kv-key='" + digit + "']") : null;
    if (!option) {
      return false;
    }
    option.checked = option.type === "radio" ? true : !option.checked;
    option.focus();
    option.dispatchEvent(new Event("change", { bubbles: true }));
    return true;
  }

  function onKey(event) {
    if (event.ctrlKey || event.altKey || event.metaKey || event.defaultPrevented || typing(event.target)) {
      return;
    }
    var key = keyName(event);
    var task = focusedTask();
    if (!key || !task) {
      return;
    }
    var hotkeys = task.config.hotkeys || {};
    if (hotkeys[key]) {
      run(task, hotkeys[key]);
      refresh(task);
      event.preventDefault();
    } else if (/^[1-9]$/.test(key) && pickOption(task, key)) {
      event.preventDefault();
    }
  }

  // plugin.toloka layout "pager": one task at a time

  var pager = null;

  function showPage(index) {
    pager.current = Math.max(0, Math.min(tasks.length - 1, index));
    tasks.forEach(function (task, position) { task.section.hidden = position !== pager.current; });
    pager.status.textContent = "Task " + (pager.current + 1) + " of " + tasks.length;
    pager.previous.disabled = pager.current === 0;
    pager.next.disabled = pager.current === tasks.length - 1;
  }

  function pageButton(label, step) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "kv-pager-button";
    button.textContent = label;
    button.addEventListener("click", function () { showPage(pager.current + step); });
    return button;
  }

  function startPager() {
    if (tasks.length < 2 || !tasks.some(function (task) { return task.config.pager; })) {
      return;
    }
    var nav = document.createElement("nav");
    nav.className = "kv-pager";
    nav.setAttribute("aria-label", "Tasks");
    pager = { current: 0, status: document.createElement("span") };
    pager.status.setAttribute("aria-live", "polite");
    pager.previous = pageButton("Previous task", -1);
    pager.next = pageButton("Next task", 1);
    nav.appendChild(pager.previous);
    nav.appendChild(pager.status);
    nav.appendChild(pager.next);
    tasks[0].section.parentNode.insertBefore(nav, tasks[0].section);
    showPage(0);
  }

  // field.list

  var copies = 0;

  function addItem(field) {
    var template = field.querySelector(":scope > template.kv-list-template");
    var item = template.content.firstElementChild.cloneNode(true);
    var suffix = "-n" + (copies += 1);
    item.querySelectorAll("[id], [for], [name], [aria-describedby]").forEach(function (element) {
      ["id", "for", "name"].forEach(function (attribute) {
        if (element.hasAttribute(attribute)) {
          element.setAttribute(attribute, element.getAttribute(attribute) + suffix);
        }
      });
      if (element.hasAttribute("aria-describedby")) {
        element.setAttribute("aria-describedby", element.getAttribute("aria-describedby").split(" ").map(function (ref) {
          return ref + suffix;
        }).join(" "));
      }
    });
    field.querySelector(":scope > .kv-list-items").appendChild(item);
    var first = item.querySelector("input, textarea, select");
    if (first) {
      first.focus();
    }
  }

  function onClick(event) {
    var button = event.target.closest ? event.target.closest("button") : null;
    if (!button) {
      return;
    }
    var task = tasks.filter(function (each) { return each.section.contains(button); })[0];
    if (!task) {
      return;
    }
    if (button.hasAttribute("data-kv-action")) {
      run(task, task.config.exprs[Number(button.getAttribute("data-kv-action"))]);
      refresh(task);
    } else if (button.classList.contains("kv-list-add")) {
      addItem(button.closest(".kv-list-field"));
      refresh(task);
    } else if (button.classList.contains("kv-list-remove")) {
      button.closest(".kv-list-item").remove();
      refresh(task);
    }
  }

  function start() {
    document.querySelectorAll("section.kv-task").forEach(function (section) {
      var island = section.querySelector(":scope > script.kv-task-config");
      var config = {};
      try {
        config = island ? JSON.parse(island.textContent) : {};
      } catch (ignored) {
        config = {};
      }
      config.exprs = config.exprs || [];
      var task = { section: section, config: config, memory: { output: {}, internal: {}, local: {} }, watched: {} };
      if (typeof config.taskWidth === "number") {
        section.style.maxWidth = config.taskWidth + "px";
      }
      tasks.push(task);
      var update = function () { lastTask = task; refresh(task); };
      section.addEventListener("change", update);
      section.addEventListener("input", update);
      section.addEventListener("focusin", function () { lastTask = task; });
      refresh(task);
    });
    tasks.sort(function (a, b) {
      return Number(a.section.getAttribute("data-task-index")) - Number(b.section.getAttribute("data-task-index"));
    });
    var forms = [];
    tasks.forEach(function (task) {
      var form = task.section.closest("form");
      if (form && forms.indexOf(form) < 0) {
        forms.push(form);
        form.addEventListener("submit", onSubmit);
      }
    });
    startPager();
    document.addEventListener("keydown", onKey);
    document.addEventListener("click", onClick);
    window.kvTaskview = { solutions: solutions, evaluate: evaluate };
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
