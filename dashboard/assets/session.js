// Sessions end on the server (sign-out elsewhere, a removed user, the idle or absolute timeout).
// When one of Dash's requests is refused with 401, open the sign-in page, which says why.
(function () {
  "use strict";
  var original = window.fetch;
  if (!original) {
    return;
  }
  window.fetch = function () {
    return original.apply(this, arguments).then(function (response) {
      if (response.status === 401 && response.url.indexOf("/_dash-") !== -1) {
        var reason = response.headers.get("X-Signed-Out");
        window.location.assign("/login" + (reason ? "?signed_out=" + encodeURIComponent(reason) : ""));
      }
      return response;
    });
  };
})();
