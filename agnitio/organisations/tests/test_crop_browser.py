"""The institution's signature flow in a real browser (seed 002, issue 12 point 10): upload (step 1 of 3), select the
part by dragging a rectangle (crop.js fills the numbers the server crops by; step 2), choose one of the four variants
and activate it (step 3). axe-core checks every page on the way (tests/fixtures/browser.py).

Debian's chromium driven by Playwright's Python package, never a downloaded browser."""

import pytest

from agnitio.organisations.models import SignatureImage

from .conftest import image_bytes

pytestmark = pytest.mark.e2e


def test_upload_drag_to_select_choose_a_variant_and_activate(page, live_server, admin, organisation, tmp_path):
    picture = tmp_path / "signature.png"
    picture.write_bytes(image_bytes(800, 400))
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", admin.email)
    page.fill("input[name=password]", "correct-horse-battery")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/organisations/{organisation.public_id}/signatures/upload/")
    page.get_by_label("Label").fill("Chair")
    page.get_by_label("Image file").set_input_files(str(picture))
    page.get_by_role("button", name="Upload").click()
    page.wait_for_selector("[data-crop-stage][data-crop-ready]")  # script run and image loaded
    stage = page.locator("[data-crop-stage] img")
    box = stage.bounding_box()
    # drag from 25 % / 20 % to 75 % / 80 % of the displayed image
    page.mouse.move(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.75, box["y"] + box["height"] * 0.8, steps=6)
    page.mouse.up()
    values = [int(page.locator(f'[data-crop="{k}"]').input_value()) for k in ("x", "y", "width", "height")]
    expected = [200, 80, 400, 240]  # in the original's pixels, whatever the display scale
    assert all(abs(v - e) <= 4 for v, e in zip(values, expected, strict=True)), values
    assert page.locator("[data-crop-box]").is_visible()
    page.get_by_role("button", name="Select the part of the image to use (step 2 of 3)").click()
    page.wait_for_load_state()
    signature = SignatureImage.objects.get()
    assert [signature.crop_x, signature.crop_y, signature.crop_width, signature.crop_height] == values
    # step 3: four variants, one radio group with a legend; each preview loaded
    variants = page.get_by_role("group", name="Choose one of the four variants")
    assert variants.get_by_role("radio").count() == 4
    for image in variants.locator("img").all():
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    variants.get_by_role("radio", name="blue ink").check()
    page.get_by_role("button", name="Choose this signature and activate it (step 3 of 3)").click()
    page.wait_for_load_state()
    assert page.url.split("#")[0].endswith(f"/organisations/{organisation.public_id}/signatures/")
    signature.refresh_from_db()
    assert signature.variant == "blue" and signature.is_active and signature.is_default  # the first of its kind
    page.get_by_role("link", name="Select the part, choose a variant, activate").click()
    page.wait_for_load_state()
    assert page.locator("img.signature-preview").is_visible()
