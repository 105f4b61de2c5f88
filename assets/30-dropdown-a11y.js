/* Dash 4's dropdown puts an invisible <input class="dash-dropdown-focus-target" tabindex="0"
   aria-hidden="true"> before its real button (tabindex="-1") and forwards focus from one to the other. A
   focusable element hidden from assistive technology is what axe's rule aria-hidden-focus (serious) forbids:
   a screen reader user can land on something that does not exist for them. Here the button itself takes the
   keyboard (it carries the dropdown's id, so its <label for> names it) and the proxy becomes `inert`, which
   no tab order, click or assistive technology reaches. React never rewrites either attribute: the props it
   renders them from do not change. */
(function () {
  "use strict";

  var PROXY = ".dash-dropdown-focus-target:not([inert])";

  function repair(proxy) {
    var button = proxy.nextElementSibling;
    if (!button || button.tagName !== "BUTTON") {
      return; // another layout of the component: leave it as Dash drew it
    }
    proxy.setAttribute("inert", "");
    proxy.tabIndex = -1;
    button.tabIndex = 0;
  }

  function repairWithin(node) {
    if (node.nodeType !== 1 || node instanceof SVGElement) {
      return; // plotly's many SVG nodes hold no dropdown
    }
    if (node.matches(PROXY)) {
      repair(node);
    }
    Array.prototype.forEach.call(node.querySelectorAll(PROXY), repair);
  }

  new MutationObserver(function (records) {
    records.forEach(function (record) {
      Array.prototype.forEach.call(record.addedNodes, repairWithin);
    });
  }).observe(document.documentElement, {childList: true, subtree: true});
  repairWithin(document.documentElement);
})();
