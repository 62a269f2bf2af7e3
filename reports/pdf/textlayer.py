"""The PDF's text layer: Thai that reads back as it is drawn (copy, search, screen readers)."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass, field

import pikepdf
from fontTools.ttLib import TTFont
from weasyprint.draw import text as weasyprint_draw_text
from weasyprint.text.ffi import ffi, pango

# WeasyPrint writes one Unicode text per glyph (the ToUnicode map of each font), taken from the
# first place the glyph was drawn, and attaches a cluster's text to its last glyph. Thai breaks
# both assumptions: HarfBuzz draws ำ as two glyphs (NIKHAHIT + SARA AA, the latter shared with
# า), and a syllable's vowels and tone marks are glyphs of one cluster. So copy, search and
# screen readers got "ดาเนินงาน" for ดำเนินงาน and marks out of order (THAI_PDF.md).
#
# While WeasyPrint draws a line, each glyph is given the text it stands for: the widest glyph of
# a cluster carries the cluster's whole text, the others none, and a cluster of marks alone joins
# the glyph before it. Where that differs from what the glyph's own code means (its character in
# the font's cmap), the glyph is drawn under an alias code; after WeasyPrint has written the
# PDF, pikepdf maps every alias to its glyph (CIDToGIDMap), gives it the glyph's width (W) and
# its text (ToUnicode). The page draws the
# same glyphs at the same places; only the text that extractors read changes, in content order
# (pypdf) and in position order (poppler's pdftotext) alike.

_CMAPS: dict[str, dict[int, str]] = {}  # font file hash → glyph id → its character


def _glyph_characters(font) -> dict[int, str]:
    """Each glyph's own character, from the font's cmap (the lowest code point that maps to it)."""
    if font.hash not in _CMAPS:
        ttfont = TTFont(io.BytesIO(font.file_content), fontNumber=font.index, lazy=True)
        characters: dict[int, str] = {}
        for codepoint, name in sorted(ttfont.getBestCmap().items()):
            characters.setdefault(ttfont.getGlyphID(name), chr(codepoint))
        _CMAPS[font.hash] = characters
    return _CMAPS[font.hash]


@dataclass
class _FontAliases:
    font: object  # WeasyPrint's Font: its widths are complete once the PDF is written
    characters: dict[int, str]
    base: int
    aliases: dict[tuple[int, str], int] = field(default_factory=dict)  # (glyph, text) → code
    fixed: set[int] = field(default_factory=set)  # glyphs whose own code was set to their character

    def code_hex(self, glyph: int, text: str) -> str | None:
        """The code to draw ``glyph`` under so that it reads as ``text``; None for its own code."""
        if self.characters.get(glyph) == text:
            if glyph not in self.fixed:
                # The glyph's own code now always means its own character (WeasyPrint kept the
                # text of the first place it met the glyph).
                self.font.to_unicode[glyph] = text
                self.fixed.add(glyph)
            return None
        key = (glyph, text)
        if key not in self.aliases:
            self.aliases[key] = self.base + len(self.aliases)
        return f"{self.aliases[key]:04x}"


class _TextLayer:
    """The alias codes of one render, per font (by WeasyPrint's font hash)."""

    def __init__(self):
        self.fonts: dict[str, _FontAliases] = {}

    def for_font(self, font) -> _FontAliases | None:
        if font.bitmap or font.missing:  # bitmap fonts and fonts with .notdef keep WeasyPrint's codes
            return None
        if font.hash not in self.fonts:
            # Codes past every glyph and every code WeasyPrint may use for a missing glyph.
            base = font.glyph_count + 1024
            self.fonts[font.hash] = _FontAliases(font, _glyph_characters(font), base)
        return self.fonts[font.hash]

    def occurrences(self, stream, textbox) -> list[tuple[str | None, str | None]]:
        """Every glyph code the line's drawing will emit, in order, as (the code WeasyPrint writes,
        None for a .notdef's own; the code to write instead, None to keep it).

        A cluster's text goes to its widest glyph (า of ำ, the consonant of a syllable), so an
        extractor that orders by position finds it where the eye does; a cluster of marks only
        joins the glyph before it.
        """
        layout = textbox.pango_layout
        line, _index = layout.get_first_line()
        utf8 = layout.text.encode()
        found: list[list] = []  # [font aliases or None, glyph, text] per emitted code
        run = line.runs[0]
        empty, unknown = pango.PANGO_GLYPH_EMPTY, pango.PANGO_GLYPH_UNKNOWN_FLAG
        while run != ffi.NULL:
            item = run.data
            run = run.next
            glyphs = item.glyphs
            count = glyphs.num_glyphs
            clusters = glyphs.log_clusters
            infos = glyphs.glyphs
            font, _size = stream.add_font(item.item.analysis.font)
            aliases = self.for_font(font) if not item.item.analysis.level % 2 else None
            offset, length = item.item.offset, item.item.length
            i = 0
            while i < count:
                start = clusters[i]
                j = i + 1
                while j < count and clusters[j] == start:
                    j += 1
                members = []
                widest, widest_width = None, -1
                for k in range(i, j):
                    info = infos[k]
                    glyph = info.glyph
                    if glyph == empty:
                        continue  # drawn as a displacement, no code
                    if glyph & unknown:  # a .notdef: WeasyPrint writes a code of its own
                        found.append([None, -1, ""])
                        continue
                    member = [aliases, glyph, ""]
                    members.append(member)
                    width = info.geometry.width
                    if width > widest_width:
                        widest, widest_width = member, width
                if widest is not None:
                    text = utf8[offset + start : offset + (clusters[j] if j < count else length)].decode()
                    if widest_width > 0 or not found or found[-1][0] is None:
                        widest[2] = text
                    else:
                        found[-1][2] += text  # marks alone: they belong to the glyph before
                    found.extend(members)
                i = j
        return [
            (None if glyph < 0 else f"{glyph:04x}", aliases.code_hex(glyph, text) if aliases else None)
            for aliases, glyph, text in found
        ]

    @staticmethod
    def rewrite(text: str, pending: list, start: int) -> tuple[str, int]:
        """A TJ operand with the glyph codes from ``pending[start:]`` replaced where they have to be;
        returns it and where the next operand starts in ``pending``."""
        parts = text.split("<")
        out = [parts[0]]
        position = start
        for part in parts[1:]:
            hexes, _close, rest = part.partition(">")
            codes = []
            for index in range(0, len(hexes), 4):
                code = hexes[index : index + 4]
                expected, replacement = pending[position] if position < len(pending) else ("", None)
                if expected is not None and code != expected:  # out of step (should not happen): leave it
                    position = len(pending)
                    replacement = None
                position += 1
                codes.append(replacement or code)
            out.append("<" + "".join(codes) + (">" + rest if _close else ""))
        return "".join(out), position

    def apply(self, data: bytes) -> bytes:
        """The written PDF with every alias code mapped to its glyph, width and text."""
        if not any(f.aliases for f in self.fonts.values()):
            return data
        with pikepdf.open(io.BytesIO(data)) as pdf:
            done = set()
            for name, font_object in _font_resources(pdf):
                aliases = self.fonts.get(name)
                if aliases is None or not aliases.aliases or font_object.objgen in done:
                    continue
                done.add(font_object.objgen)
                _add_aliases(pdf, font_object, aliases)
            out = io.BytesIO()
            pdf.save(out, deterministic_id=True)
            return out.getvalue()


_current: list[_TextLayer] = []  # the render in progress (renders take turns: reports.pdf._LOCK)
_draw_first_line = weasyprint_draw_text.draw_first_line


def _draw_first_line_with_text(stream, textbox, *args, **kwargs):
    """WeasyPrint's line drawing, its glyph codes rewritten so the text layer is right."""
    layer = _current[0] if _current else None
    if layer is None:
        return _draw_first_line(stream, textbox, *args, **kwargs)
    pending: list | None = None
    position = 0
    show_text = stream.show_text

    def show_rewritten(text):
        nonlocal pending, position
        if pending is None:  # the line is final once WeasyPrint starts drawing it
            pending = layer.occurrences(stream, textbox)
        text, position = layer.rewrite(text, pending, position)
        show_text(text)

    stream.show_text = show_rewritten
    try:
        return _draw_first_line(stream, textbox, *args, **kwargs)
    finally:
        del stream.show_text


weasyprint_draw_text.draw_first_line = _draw_first_line_with_text


def _font_resources(pdf: pikepdf.Pdf):
    """(resource name without the slash, font object) for every font of every page and form."""
    seen = set()

    def walk(resources):
        if resources is None or resources.objgen in seen and resources.objgen != (0, 0):
            return
        seen.add(resources.objgen)
        for name, font_object in (resources.get("/Font") or {}).items():
            yield name.lstrip("/"), font_object
        for xobject in (resources.get("/XObject") or {}).values():
            if xobject.get("/Subtype") == "/Form":
                yield from walk(xobject.get("/Resources"))

    for page in pdf.pages:
        yield from walk(page.obj.get("/Resources"))


def _add_aliases(pdf: pikepdf.Pdf, font_object, aliases: _FontAliases) -> None:
    """Map the font's alias codes to their glyphs (CIDToGIDMap), widths (W) and texts (ToUnicode)."""
    descendant = font_object.DescendantFonts[0]
    by_code = {code: (glyph, text) for (glyph, text), code in aliases.aliases.items()}
    last = max(by_code)
    gids = bytearray()
    for code in range(last + 1):
        glyph = code if code < aliases.base else by_code.get(code, (0, ""))[0]
        gids += glyph.to_bytes(2, "big")
    descendant.CIDToGIDMap = pikepdf.Stream(pdf, bytes(gids))
    widths = aliases.font.widths
    extra = []
    for code in sorted(by_code):
        glyph = by_code[code][0]
        extra += [code, pikepdf.Array([widths.get(glyph, 0)])]
    descendant.W = pikepdf.Array(list(descendant.W) + extra)
    cmap = font_object.ToUnicode.read_bytes()
    entries = [
        f"<{code:04x}> <{text.encode('utf-16-be').hex()}>".encode()
        for code, (_glyph, text) in sorted(by_code.items())
    ]
    block = b""
    for start in range(0, len(entries), 100):
        chunk = entries[start : start + 100]
        block += f"{len(chunk)} beginbfchar\n".encode() + b"\n".join(chunk) + b"\nendbfchar\n"
    font_object.ToUnicode.write(cmap.replace(b"endcmap", block + b"endcmap", 1))


@contextlib.contextmanager
def text_layer(enabled: bool = True):
    """While WeasyPrint writes a PDF inside it, record the glyphs' texts; yields the layer (None when
    not ``enabled``), whose ``apply`` rewrites the written PDF's text maps."""
    layer = _TextLayer() if enabled else None
    if layer is not None:
        _current.append(layer)
    try:
        yield layer
    finally:
        _current.clear()
