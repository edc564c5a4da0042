"""A PNG renderer, so ``?format=png`` (or ``Accept: image/png``) picks the chart image the DRF way."""

import json

from rest_framework import renderers
from rest_framework.utils import encoders


class PNGRenderer(renderers.BaseRenderer):
    media_type = "image/png"
    format = "png"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if isinstance(data, (bytes, bytearray)):
            return bytes(data)
        # An error body (a dict) is answered as JSON rather than as a broken image.
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = "application/json"
        return json.dumps(data, cls=encoders.JSONEncoder, ensure_ascii=False).encode()
