"""The API's browsable docs under the Content-Security-Policy.

Swagger UI: the split view serves its start-up script as a file (`?script`), and our template
moves the page's inline styles to a static file, so the site-wide policy holds unchanged.
ReDoc: its bundle injects <style> elements at run time (styled-components) and runs its search
in a worker made from a blob: URL, so its page alone allows inline styles and blob: workers;
scripts stay 'self' only. Both load fonts from nowhere (the stock ReDoc page asks Google Fonts),
and ReDoc's one CDN image (the Redocly logo) is never requested (api/static/api/redoc-no-cdn.js).
"""

from __future__ import annotations

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView


class SwaggerView(SpectacularSwaggerSplitView):
    template_name = "api/docs/swagger_ui.html"


@method_decorator(
    csp_update({"style-src": [SELF, UNSAFE_INLINE], "worker-src": [SELF, "blob:"]}),
    name="dispatch",
)
class RedocView(SpectacularRedocView):
    template_name = "api/docs/redoc.html"
