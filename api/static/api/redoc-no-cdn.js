/* ReDoc's side menu shows the Redocly logo from https://cdn.redoc.ly. We load nothing from CDNs
   (and the Content-Security-Policy would block it, with a console error), so on the ReDoc page
   only, that one image gets no address: ReDoc then drops it and keeps its "API docs by Redocly"
   link. Loaded before ReDoc's bundle. */
(function () {
  "use strict";
  var CDN = "https://cdn.redoc.ly/";
  var fromCdn = function (element, name, value) {
    return element instanceof HTMLImageElement && name === "src" && String(value).indexOf(CDN) === 0;
  };
  var setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    if (fromCdn(this, name, value)) {
      return undefined;
    }
    return setAttribute.call(this, name, value);
  };
  var src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    configurable: true,
    enumerable: src.enumerable,
    get: src.get,
    set: function (value) {
      if (!fromCdn(this, "src", value)) {
        src.set.call(this, value);
      }
    }
  });
})();
