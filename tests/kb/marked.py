"""Word files marked the way staff mark them outside the body text: page headers and footers (also on a
different first page), watermarks (Word's VML 水印 and a DrawingML WordArt box), a text box stamped on the page,
and document properties (a custom 密级 property, a sensitivity label, the category). Built with python-docx and
the XML Word writes, for the loader and marking tests and the security battery."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape, quoteattr

from docx import Document
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
V = "urn:schemas-microsoft-com:vml"
NS = (f'xmlns:w="{W}" xmlns:v="{V}" xmlns:o="urn:schemas-microsoft-com:office:office" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"')
CUSTOM_PROPERTIES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"

PLACES = ("header", "footer", "first-page-header", "vml-watermark", "wordart-watermark", "text-box", "property",
          "sensitivity-label", "category", "body")
PICTURE_PLACES = ("picture-watermark", "picture-watermark-drawing")  # read by OCR (the `ocr` extra)


def vml_watermark(text: str) -> object:
    """Word's 设计 › 水印 › 自定义水印 (文字水印): a VML text path in the header."""
    return parse_xml(
        f'<w:p {NS}><w:r><w:pict><v:shape id="PowerPlusWaterMarkObject1" o:spid="_x0000_s2049" type="#_x0000_t136" '
        'style="position:absolute;margin-left:0;margin-top:0;width:415pt;height:138pt;rotation:315;z-index:-251657216" '
        f'fillcolor="silver" stroked="f"><v:fill opacity=".5"/><v:textpath style="font-family:&quot;宋体&quot;" '
        f"string={quoteattr(text)}/></v:shape></w:pict></w:r></w:p>")


def wordart_watermark(text: str) -> object:
    """A DrawingML shape with text (WordArt, or a watermark pasted from a newer Word) anchored in the header."""
    return parse_xml(
        f'<w:p {NS}><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" behindDoc="1" locked="0" '
        'layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/><wp:extent cx="5000000" cy="1500000"/>'
        '<wp:docPr id="7" name="水印"/><a:graphic><a:graphicData '
        'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:txbx><w:txbxContent>'
        f"<w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p></w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp>"
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice></mc:AlternateContent></w:r></w:p>")


def watermark_picture(text: str, grey: int = 192) -> bytes:
    """A PNG of `text` as a picture watermark is drawn: large light-grey characters on a transparent ground,
    in the installed CJK font (nothing downloaded)."""
    from PIL import Image, ImageDraw

    from tests.kb.scans import font

    face = font(48, 150)
    left, top, right, bottom = ImageDraw.Draw(Image.new("L", (1, 1))).textbbox((0, 0), text, font=face)
    image = Image.new("LA", (right - left + 80, bottom - top + 60), (255, 0))
    ImageDraw.Draw(image).text((40 - left, 30 - top), text, font=face, fill=(grey, 255))
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)  # small: the security battery's uploads are limited to 50 KB
    return out.getvalue()


def vml_picture_watermark(rid: str) -> object:
    """Word's 设计 › 水印 › 图片水印: a VML shape behind the text whose image is washed out (gain, blacklevel)."""
    return parse_xml(
        f'<w:p {NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:r><w:pict>'
        '<v:shape id="WordPictureWatermark1" o:spid="_x0000_s2050" type="#_x0000_t75" '
        'style="position:absolute;margin-left:0;margin-top:0;width:415pt;height:150pt;z-index:-251656192;'
        'mso-position-horizontal:center;mso-position-vertical:center" o:allowincell="f">'
        f'<v:imagedata r:id="{rid}" o:title="水印" gain="19661f" blacklevel="22938f"/></v:shape></w:pict></w:r></w:p>')


def drawing_picture_watermark(rid: str) -> object:
    """A picture anchored behind the text in the header (DrawingML), as newer Word and WPS save a picture 水印."""
    return parse_xml(
        f'<w:p {NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:r><w:drawing>'
        '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="2" behindDoc="1" locked="0" '
        'layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="margin">'
        '<wp:align>center</wp:align></wp:positionH><wp:positionV relativeFrom="margin"><wp:align>center</wp:align>'
        '</wp:positionV><wp:extent cx="5000000" cy="1800000"/><wp:wrapNone/><wp:docPr id="9" name="图片水印"/>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>'
        '<pic:nvPicPr><pic:cNvPr id="9" name="水印.png"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="{rid}"><a:alphaModFix amt="30000"/></a:blip><a:stretch><a:fillRect/>'
        '</a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="5000000" cy="1800000"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
        '</wp:anchor></w:drawing></w:r></w:p>')


def text_box(text: str) -> object:
    """A stamp-like text box on the first page (VML, as older Word and WPS save it)."""
    return parse_xml(
        f'<w:p {NS}><w:r><w:pict><v:shape style="position:absolute;width:80pt;height:30pt"><v:textbox>'
        f"<w:txbxContent><w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape>"
        "</w:pict></w:r></w:p>")


def custom_properties(properties: dict[str, str]) -> bytes:
    items = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{pid}" name={quoteattr(name)}>'
        f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(properties.items(), start=2))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
            f'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">{items}</Properties>'
            ).encode()


def marked_docx(paragraphs: list[str], place: str, marking: str) -> bytes:
    """A .docx of `paragraphs` carrying `marking` at `place` (one of PLACES or PICTURE_PLACES, where it is a picture
    of the text) and nowhere in its body text
    (except for place "body", where it is the first paragraph)."""
    document = Document()
    if place == "body":
        document.add_paragraph(marking)
    if place == "text-box":
        document.element.body.insert(0, text_box(marking))
    for text in paragraphs:
        document.add_paragraph(text)
    section = document.sections[0]
    if place == "header":
        section.header.paragraphs[0].text = marking
    elif place == "footer":
        section.footer.paragraphs[0].text = marking
    elif place == "first-page-header":
        section.different_first_page_header_footer = True
        section.first_page_header.paragraphs[0].text = marking
    elif place == "vml-watermark":
        section.header._element.append(vml_watermark(marking))
    elif place == "wordart-watermark":
        section.header._element.append(wordart_watermark(marking))
    elif place in PICTURE_PLACES:
        rid, _ = section.header.part.get_or_add_image(io.BytesIO(watermark_picture(marking)))
        build = vml_picture_watermark if place == "picture-watermark" else drawing_picture_watermark
        section.header._element.append(build(rid))
    elif place in ("property", "sensitivity-label"):
        name = "密级" if place == "property" else "MSIP_Label_2096f6a2-d2f7-48be-b329-b73aaa526e5d_Name"
        package = document.part.package
        part = Part(PackURI("/docProps/custom.xml"), CUSTOM_TYPE, custom_properties({name: marking}), package)
        package.relate_to(part, CUSTOM_PROPERTIES)
    elif place == "category":
        document.core_properties.category = marking
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
