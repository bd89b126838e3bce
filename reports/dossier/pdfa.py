"""A structural PDF/A-2b check with pikepdf.

veraPDF (the reference validator) is not packaged for Debian or PyPI, and this machine reaches no
other source, so we check the structures that PDF/A-2b requires and that a merge can break:
the XMP identification, the output intent with its ICC profile, the document ID, no
encryption, every font embedded, no JavaScript or launch actions, no LZW, printable annotations,
and CMYK images or colour spaces under an RGB output intent (colours set by content-stream
operators are not parsed). It is not the full veraPDF rule set.
"""

from __future__ import annotations

import pikepdf

PDFAID = "http://www.aiim.org/pdfa/ns/id/"
FORBIDDEN_FILTERS = {"/LZWDecode"}


def problems(path: str) -> list[str]:
    """Chinese descriptions of what keeps the file from PDF/A-2b; empty when the checks pass."""
    found: list[str] = []
    with pikepdf.open(path) as pdf:
        found += _document_level(pdf)
        fonts, colours = set(), set()
        for number, page in enumerate(pdf.pages, 1):
            _walk_resources(page.obj.get("/Resources"), fonts, colours, number, set())
            for annot in page.obj.get("/Annots", []):
                flags = int(annot.get("/F", 0))
                if not flags & 4 or flags & 2:
                    found.append(f"第 {number} 页有不可打印的批注")
                    break
        found += sorted(fonts)
        if "/DeviceCMYK" in colours:
            found.append("使用了 DeviceCMYK 颜色，而输出意图是 RGB")
        if "/LZW" in colours:
            found.append("使用了 PDF/A 禁止的 LZW 压缩")
    return found


def _document_level(pdf: pikepdf.Pdf) -> list[str]:
    found = []
    if pdf.is_encrypted:
        found.append("文件已加密")
    if "/ID" not in pdf.trailer:
        found.append("缺少文件标识 /ID")
    meta = pdf.open_metadata()
    if str(meta.get("pdfaid:part")) != "2" or str(meta.get("pdfaid:conformance")) != "B":
        found.append("XMP 元数据中没有 PDF/A-2B 标识")
    intents = pdf.Root.get("/OutputIntents", [])
    if not any(i.get("/S") == "/GTS_PDFA1" and "/DestOutputProfile" in i for i in intents):
        found.append("缺少 PDF/A 输出意图（ICC 颜色配置文件）")
    names = pdf.Root.get("/Names", {})
    if "/JavaScript" in names or "/AA" in pdf.Root or "/OpenAction" in pdf.Root and _is_script(pdf.Root.OpenAction):
        found.append("包含 JavaScript 或自动动作")
    if "/EmbeddedFiles" in names:
        found.append("包含嵌入文件")
    return found


def _is_script(action) -> bool:
    return isinstance(action, pikepdf.Dictionary) and action.get("/S") in ("/JavaScript", "/Launch")


def _walk_resources(resources, fonts: set, colours: set, page: int, seen: set) -> None:
    if not isinstance(resources, pikepdf.Dictionary) or resources.objgen in seen and resources.objgen != (0, 0):
        return
    seen.add(resources.objgen)
    for name, font in resources.get("/Font", {}).items():
        if not _font_embedded(font):
            fonts.add(f"字体 {font.get('/BaseFont', name)} 未嵌入（第 {page} 页起）")
    for space in resources.get("/ColorSpace", {}).values():
        colours.add(str(space if not isinstance(space, pikepdf.Array) else space[0]))
    for xobject in resources.get("/XObject", {}).values():
        if xobject.get("/Subtype") == "/Image":
            colours.add(str(xobject.get("/ColorSpace", "")))
            filters = xobject.get("/Filter")
            if filters is not None and set(map(str, filters if isinstance(filters, pikepdf.Array) else [filters])) & FORBIDDEN_FILTERS:
                colours.add("/LZW")
        elif xobject.get("/Subtype") == "/Form":
            _walk_resources(xobject.get("/Resources"), fonts, colours, page, seen)


def _font_embedded(font) -> bool:
    subtype = font.get("/Subtype")
    if subtype == "/Type3":
        return True
    if subtype == "/Type0":
        return all(_font_embedded(d) for d in font.get("/DescendantFonts", []))
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def withdraw_claim(path: str) -> None:
    """Remove the PDF/A identification from a file that does not meet it (never claim falsely)."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            for key in ("pdfaid:part", "pdfaid:conformance"):
                if key in meta:
                    del meta[key]
        pdf.save(path)
