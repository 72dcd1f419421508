// The one DOM helper of every page: build elements without innerHTML (no injection from
// ticket, user or configuration data) and without inline handlers (the CSP forbids them).
//
//   h("button", { class: "btn", type: "button", onClick: go, dataset: { id } }, "Llamar")
//   $("#ticket")            → the first element matching a selector (throws if there is none)
//   show(element, visible)  → toggles the `hidden` attribute

/** @typedef {string | number | Node | null | undefined | false} Child */
/** @typedef {Record<string, unknown>} Attributes */

/**
 * An element with attributes and children. `class` sets the class name, `text` the text,
 * `dataset` the data-* attributes, `onX` adds a listener for event "x"; `true` makes an empty
 * attribute and null/undefined/false leave it out. Children are nodes or text (never HTML).
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Attributes | null} [attrs]
 * @param {...(Child | Child[])} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = String(value);
    else if (key === "text") node.textContent = String(value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") {
      node.addEventListener(key.slice(2).toLowerCase(), /** @type {EventListener} */ (value));
    } else if (value === true) node.setAttribute(key, "");
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/**
 * The first element matching `selector` under `root`. A page's own markup is known: a missing
 * element is a bug, so this throws instead of returning null.
 * @template {HTMLElement} [E=HTMLElement]
 * @param {string} selector
 * @param {ParentNode} [root]
 * @returns {E}
 */
export function $(selector, root = document) {
  const found = root.querySelector(selector);
  if (!found) throw new Error(`Falta el elemento ${selector} en la página`);
  return /** @type {E} */ (found);
}

/**
 * @param {HTMLElement} element
 * @param {boolean} visible
 */
export function show(element, visible) {
  element.hidden = !visible;
}
