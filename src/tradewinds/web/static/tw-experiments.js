/*
 * Tradewinds experiments: the variation a unit gets, in the browser.
 * The same answer as Python (tradewinds.experiments.assignment), the API
 * (/api/v1/experiments/assign) and `tradewinds experiments assign`:
 * GrowthBook's hash v2 — FNV-1a 32-bit of salt + unit id (UTF-8 bytes), hashed again as
 * its decimal string, modulo 10000, divided by 10000 — then the variation whose range
 * (weights normalised to 1, end to end) holds it.
 *
 *   <script src="/static/tw-experiments.js"></script>
 *   var v = TradewindsExperiments.assign("checkout-button", visitorId, [0.5, 0.5]); // 0 or 1
 */
(function (root) {
  "use strict";
  function fnv1a32(text) {
    var bytes = new TextEncoder().encode(text);
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }
  function bucket(salt, unitId) {
    return (fnv1a32(String(fnv1a32(salt + unitId))) % 10000) / 10000;
  }
  function choose(place, weights) {
    var total = 0, i;
    for (i = 0; i < weights.length; i++) total += weights[i];
    var cumulative = 0, last = -1;
    for (i = 0; i < weights.length; i++) {
      var start = cumulative;
      cumulative += weights[i] / total;
      if (weights[i] > 0) last = i;
      if (start <= place && place < cumulative) return i;
    }
    return last;
  }
  function assign(salt, unitId, weights) {
    return choose(bucket(salt, unitId), weights);
  }
  root.TradewindsExperiments = {fnv1a32: fnv1a32, bucket: bucket, choose: choose, assign: assign};
})(typeof window !== "undefined" ? window : this);
