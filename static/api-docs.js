// Starts Swagger UI (served from this server, like the API description it reads).
(function () {
  var element = document.getElementById('swagger');
  if (!element || !window.SwaggerUIBundle) return;
  window.SwaggerUIBundle({
    url: element.getAttribute('data-spec'),
    domNode: element,
    deepLinking: true,
    // No call to the public online validator: nothing leaves this server.
    validatorUrl: null,
    tryItOutEnabled: false,
  });
})();
