/* viewer.js — Guidepost's 360° panorama viewer: draws an equirectangular JPEG on a <canvas> as a
 * rectilinear view (yaw, pitch, field of view) with plain 2D canvas pixel work, no libraries.
 * Drag (mouse or touch) looks around, the wheel zooms, arrow keys turn. The panorama list's buttons
 * switch the picture. Everything it needs comes from data-* attributes; the page has no inline code. */
(function () {
  'use strict';
  var DEG = Math.PI / 180;

  function Viewer(canvas) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.yaw = 0;
    this.pitch = 0;
    this.fov = 90 * DEG;
    this.src = null;       // ImageData of the panorama
    this.pending = false;
    this.bind();
    this.load(canvas.getAttribute('data-src'));
  }

  Viewer.prototype.load = function (url) {
    var self = this, img = new Image();
    this.canvas.setAttribute('data-state', 'loading');
    img.onload = function () {
      var w = Math.min(img.naturalWidth, 4096), h = Math.min(img.naturalHeight, 2048);
      var off = document.createElement('canvas');
      off.width = w;
      off.height = h;
      var octx = off.getContext('2d');
      octx.drawImage(img, 0, 0, w, h);
      self.src = octx.getImageData(0, 0, w, h);
      self.canvas.setAttribute('data-state', 'ready');
      self.canvas.setAttribute('data-current', url);
      self.draw();
    };
    img.onerror = function () { self.canvas.setAttribute('data-state', 'error'); };
    img.src = url;
  };

  Viewer.prototype.draw = function () {
    if (this.pending) return;
    this.pending = true;
    var self = this;
    (window.requestAnimationFrame || setTimeout)(function () { self.pending = false; self.render(); });
  };

  Viewer.prototype.render = function () {
    var src = this.src;
    if (!src) return;
    var W = this.canvas.width, H = this.canvas.height;
    var out = this.ctx.createImageData(W, H), o = out.data, s = src.data;
    var sw = src.width, sh = src.height;
    var f = (W / 2) / Math.tan(this.fov / 2);
    var cp = Math.cos(this.pitch), sp = Math.sin(this.pitch);
    var cyw = Math.cos(this.yaw), syw = Math.sin(this.yaw);
    var k = 0;
    for (var j = 0; j < H; j++) {
      var y = H / 2 - j - 0.5;
      var y1 = y * cp + f * sp, z1 = -y * sp + f * cp;   // pitch: around the x axis
      for (var i = 0; i < W; i++) {
        var x = i - W / 2 + 0.5;
        var x2 = x * cyw + z1 * syw, z2 = -x * syw + z1 * cyw;   // yaw: around the y axis
        var lon = Math.atan2(x2, z2), lat = Math.atan2(y1, Math.sqrt(x2 * x2 + z2 * z2));
        // Bilinear sampling, wrapping around in longitude and clamped in latitude.
        var fu = (lon / (2 * Math.PI) + 0.5) * sw - 0.5, fv = (0.5 - lat / Math.PI) * sh - 0.5;
        var u0 = Math.floor(fu), v0 = Math.floor(fv), du = fu - u0, dv = fv - v0;
        var u1 = u0 + 1, v1 = v0 + 1;
        u0 = ((u0 % sw) + sw) % sw;
        u1 = ((u1 % sw) + sw) % sw;
        if (v0 < 0) v0 = 0;
        if (v1 > sh - 1) v1 = sh - 1;
        if (v0 > sh - 1) v0 = sh - 1;
        var p00 = (v0 * sw + u0) * 4, p01 = (v0 * sw + u1) * 4;
        var p10 = (v1 * sw + u0) * 4, p11 = (v1 * sw + u1) * 4;
        var w00 = (1 - du) * (1 - dv), w01 = du * (1 - dv), w10 = (1 - du) * dv, w11 = du * dv;
        o[k] = s[p00] * w00 + s[p01] * w01 + s[p10] * w10 + s[p11] * w11;
        o[k + 1] = s[p00 + 1] * w00 + s[p01 + 1] * w01 + s[p10 + 1] * w10 + s[p11 + 1] * w11;
        o[k + 2] = s[p00 + 2] * w00 + s[p01 + 2] * w01 + s[p10 + 2] * w10 + s[p11 + 2] * w11;
        o[k + 3] = 255;
        k += 4;
      }
    }
    this.ctx.putImageData(out, 0, 0);
  };

  Viewer.prototype.turn = function (dyaw, dpitch) {
    this.yaw = (this.yaw + dyaw) % (2 * Math.PI);
    this.pitch = Math.max(-85 * DEG, Math.min(85 * DEG, this.pitch + dpitch));
    this.draw();
  };

  Viewer.prototype.bind = function () {
    var self = this, c = this.canvas, last = null;
    c.addEventListener('pointerdown', function (e) {
      last = { x: e.clientX, y: e.clientY };
      if (c.setPointerCapture) c.setPointerCapture(e.pointerId);
    });
    c.addEventListener('pointermove', function (e) {
      if (!last) return;
      var scale = self.fov / c.clientWidth;
      self.turn(-(e.clientX - last.x) * scale, (e.clientY - last.y) * scale);
      last = { x: e.clientX, y: e.clientY };
    });
    var up = function () { last = null; };
    c.addEventListener('pointerup', up);
    c.addEventListener('pointercancel', up);
    c.addEventListener('wheel', function (e) {
      e.preventDefault();
      self.fov = Math.max(30 * DEG, Math.min(110 * DEG, self.fov + (e.deltaY > 0 ? 5 : -5) * DEG));
      self.draw();
    }, { passive: false });
    c.addEventListener('keydown', function (e) {
      var d = 5 * DEG;
      if (e.key === 'ArrowLeft') self.turn(-d, 0);
      else if (e.key === 'ArrowRight') self.turn(d, 0);
      else if (e.key === 'ArrowUp') self.turn(0, d);
      else if (e.key === 'ArrowDown') self.turn(0, -d);
      else return;
      e.preventDefault();
    });
  };

  function start() {
    var canvases = document.querySelectorAll('canvas.pano');
    for (var n = 0; n < canvases.length; n++) {
      var v = new Viewer(canvases[n]);
      canvases[n].guidepostViewer = v;
      var picks = document.querySelectorAll('button.pano-pick');
      for (var m = 0; m < picks.length; m++) {
        picks[m].addEventListener('click', function (ev) {
          v.yaw = 0; v.pitch = 0;
          v.load(ev.currentTarget.getAttribute('data-src'));
        });
      }
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
