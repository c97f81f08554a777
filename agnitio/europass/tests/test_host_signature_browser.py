"""A host's signature in a real browser: the institution's page parts (drag-to-crop with crop.js, the four variants)
on the host's page, checked by axe-core on the way (tests/fixtures/browser.py)."""

import pytest
from django.test import Client

from agnitio.europass.models import HostSignature

from .test_signatures import host  # noqa: F401  (the fixture: a host account with its access accepted)

pytestmark = pytest.mark.e2e


def test_host_drags_to_select_and_activates_a_variant(new_context, live_server, host, tmp_path):  # noqa: F811
    from agnitio.organisations.tests.conftest import STROKE, image_bytes

    picture = tmp_path / "assinatura.png"
    picture.write_bytes(image_bytes(800, 400, color=STROKE))
    session = Client()
    session.force_login(host)
    page = new_context(session_of=session).new_page()
    page.goto(f"{live_server.url}/europass/shared/signatures/")
    page.get_by_label("Image file (PNG or JPEG)").set_input_files(str(picture))
    page.get_by_role("button", name="Upload").click()
    page.wait_for_selector("[data-crop-stage][data-crop-ready]")
    box = page.locator("[data-crop-stage] img").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.75, box["y"] + box["height"] * 0.8, steps=6)
    page.mouse.up()
    values = [int(page.locator(f'[data-crop="{k}"]').input_value()) for k in ("x", "y", "width", "height")]
    assert all(abs(v - e) <= 4 for v, e in zip(values, [200, 80, 400, 240], strict=True)), values
    page.get_by_role("button", name="Select the part of the image to use (step 2 of 3)").click()
    page.wait_for_load_state()
    assert list(HostSignature.objects.get().crop_box) == values
    variants = page.get_by_role("group", name="Choose one of the four variants")
    variants.get_by_role("radio", name="black ink").check()
    page.get_by_role("button", name="Choose this signature and activate it (step 3 of 3)").click()
    page.wait_for_load_state()
    stored = HostSignature.objects.get()
    assert stored.variant == "black" and stored.is_default and stored.image
