// Starts Swagger UI on /openapi.json. "Authorize" takes an API key (Bearer or X-Api-Key) for "Try it
// out"; the key lives in this tab only (persistAuthorization off). validatorUrl null: Swagger UI would
// otherwise send the document to validator.swagger.io, another origin this page may not reach.
/* global SwaggerUIBundle */
window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  docExpansion: 'list',
  defaultModelsExpandDepth: 0,
  displayRequestDuration: true,
  filter: true,
  persistAuthorization: false,
  validatorUrl: null,
  tryItOutEnabled: false,
});
