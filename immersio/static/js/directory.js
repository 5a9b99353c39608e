// Immersio: maps of the directory (search results, a structure's sites) with Leaflet.
// Markup: templates/directory/{search,structure}.html. The markers come from a
// <script type="application/json"> block, the tile URL from a data- attribute; the map
// panel stays hidden without this script or without Leaflet: the list is the content.
(function () {
  "use strict";
  if (!window.L) { return; }

  var GREEN = "#1d5c46";
  var GREEN_DARK = "#134232";

  function readMarkers(element) {
    var source = document.getElementById(element.getAttribute("data-markers") || "");
    if (!source) { return []; }
    try {
      return JSON.parse(source.textContent) || [];
    } catch (error) {
      return [];
    }
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text || "";
    return div.innerHTML;
  }

  function popup(marker) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = marker.url;
    link.textContent = marker.name;
    box.appendChild(link);
    var detail = document.createElement("div");
    detail.textContent = marker.commune +
      (marker.distance !== null && marker.distance !== undefined
        ? " · à " + String(marker.distance).replace(".", ",") + " km" : "");
    box.appendChild(detail);
    return box;
  }

  function setUp(panel) {
    var element = panel.querySelector("[data-map]");
    if (!element) { return; }
    var markers = readMarkers(element);
    if (!markers.length) { return; }
    panel.hidden = false;
    element.setAttribute("role", "region");
    element.setAttribute("aria-label",
      "Carte interactive : flèches pour la déplacer, touches plus et moins pour zoomer");
    var map = L.map(element, { scrollWheelZoom: false });
    map.attributionControl.setPrefix(false);
    var tiles = element.getAttribute("data-tiles");
    if (tiles) {
      L.tileLayer(tiles, {
        maxZoom: 18,
        attribution: escapeHtml(element.getAttribute("data-attribution")),
        // The tile servers ask who uses them; the site's own policy sends no referrer.
        referrerPolicy: "strict-origin-when-cross-origin"
      }).addTo(map);
    }
    var points = [];
    var centerLat = parseFloat(element.getAttribute("data-center-lat"));
    var centerLon = parseFloat(element.getAttribute("data-center-lon"));
    if (!isNaN(centerLat) && !isNaN(centerLon)) {
      L.circleMarker([centerLat, centerLon], {
        radius: 6, color: "#b34700", weight: 3, fillColor: "#fff", fillOpacity: 1,
        interactive: false
      }).addTo(map);
      points.push([centerLat, centerLon]);
    }
    markers.forEach(function (marker) {
      L.circleMarker([marker.lat, marker.lon], {
        radius: 8, color: GREEN_DARK, weight: 2, fillColor: GREEN, fillOpacity: 0.85
      }).bindPopup(popup(marker)).addTo(map);
      points.push([marker.lat, marker.lon]);
    });
    if (points.length === 1) {
      map.setView(points[0], 13);
    } else {
      map.fitBounds(points, { padding: [24, 24], maxZoom: 14 });
    }
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-directory-map]"), setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
