"""The system libraries that `make` installs for WeasyPrint are there: a Thai PDF renders."""

import logging

import weasyprint


def _texts(box):
    if hasattr(box, "text"):
        yield box.text
    for child in getattr(box, "children", ()):
        yield from _texts(child)


def test_weasyprint_renders_thai_with_the_bundled_font(settings, caplog):
    font = settings.BASE_DIR / "static" / "fonts" / "Sarabun-Regular.ttf"
    html = f"""<style>@font-face {{ font-family: S; src: url("{font.as_uri()}"); }}
      body {{ font-family: S; }}</style><p>ผลการประเมิน ๙๔.๗๔ คะแนน</p>"""
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        document = weasyprint.HTML(string=html).render()
        pdf = document.write_pdf()
    assert pdf.startswith(b"%PDF")
    assert "".join(_texts(document.pages[0]._page_box)) == "ผลการประเมิน ๙๔.๗๔ คะแนน"
    assert not [r for r in caplog.records if "notdef" in r.getMessage().lower()]
