// The demo front-end: renders a greeting and the address that served it (handy behind the proxy).
document.getElementById("app").innerHTML =
  "<h2>Hello from the frontend</h2><p>served by " + window.location.host + "</p>";
