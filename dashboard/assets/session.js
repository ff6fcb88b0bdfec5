// Sessions end on the server (sign-out elsewhere, a removed user, the idle or absolute timeout).
// When one of Dash's requests is refused with 401, open the sign-in page, which says why. And when
// the page has made no request for the idle timeout (in the page's meta tag, outside demo mode),
// leave it, so that figures are not left on an unattended screen: the server then names the reason.
(function () {
  "use strict";
  var original = window.fetch;
  var meta = document.querySelector('meta[name="session-idle-seconds"]');
  var idle = meta ? parseFloat(meta.content) * 1000 : 0;
  var timer = null;
  var leaving = false; // the first refusal names the reason; later ones (sent without a session) do not

  function arm() {
    if (!idle) {
      return;
    }
    if (timer) {
      clearTimeout(timer);
    }
    timer = setTimeout(function () {
      window.location.assign("/");
    }, idle + 2000);
  }

  arm();
  if (!original) {
    return;
  }
  window.fetch = function (resource) {
    var url = typeof resource === "string" ? resource : (resource && resource.url) || "";
    if (url.indexOf("_dash-") !== -1) {
      arm(); // the server counts this request as use of the session
    }
    return original.apply(this, arguments).then(function (response) {
      if (response.status === 401 && response.url.indexOf("/_dash-") !== -1 && !leaving) {
        leaving = true;
        var reason = response.headers.get("X-Signed-Out");
        window.location.assign("/login" + (reason ? "?signed_out=" + encodeURIComponent(reason) : ""));
      }
      return response;
    });
  };
})();
