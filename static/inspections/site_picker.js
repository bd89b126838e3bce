// 选择点位: ask the phone for its location, show each site's distance and list the nearest first.
// Without a location (refused, no GPS, plain http) the server's order (district, type, name) stays.
(function () {
  "use strict";
  var status = document.querySelector("[data-geo-status]");
  var lists = document.querySelectorAll("[data-site-list]");
  if (!lists.length) { return; }

  function say(text) { if (status) { status.textContent = text; } }

  function metres(lat1, lon1, lat2, lon2) {
    var rad = Math.PI / 180, r = 6371000;
    var dLat = (lat2 - lat1) * rad, dLon = (lon2 - lon1) * rad;
    var a = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
      Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 2 * r * Math.asin(Math.sqrt(a));
  }

  function label(m) { return m < 1000 ? "约 " + Math.round(m / 10) * 10 + " 米" : "约 " + (m / 1000).toFixed(1) + " 公里"; }

  function sortBy(lat, lon) {
    lists.forEach(function (list) {
      var items = Array.prototype.slice.call(list.querySelectorAll("[data-site]"));
      items.forEach(function (li) {
        var slat = parseFloat(li.getAttribute("data-lat")), slon = parseFloat(li.getAttribute("data-lon"));
        li._distance = isNaN(slat) || isNaN(slon) ? Infinity : metres(lat, lon, slat, slon);
        var span = li.querySelector("[data-distance]");
        if (span) { span.textContent = li._distance === Infinity ? "" : " · " + label(li._distance); }
      });
      items.sort(function (a, b) { return a._distance - b._distance; });
      items.forEach(function (li) { list.appendChild(li); });
    });
    document.querySelectorAll("[data-my-lat]").forEach(function (input) { input.value = lat.toFixed(6); });
    document.querySelectorAll("[data-my-lon]").forEach(function (input) { input.value = lon.toFixed(6); });
  }

  if (!navigator.geolocation) { say("此浏览器无法提供位置，点位按区县和类型排列。"); return; }
  navigator.geolocation.getCurrentPosition(function (pos) {
    sortBy(pos.coords.latitude, pos.coords.longitude);
    say("已按距您的位置由近到远排列（定位精度约 " + Math.round(pos.coords.accuracy) + " 米）。");
  }, function () {
    say("未能获取位置（可能未授权定位），点位按区县和类型排列。");
  }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
})();
