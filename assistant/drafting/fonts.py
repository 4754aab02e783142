"""The 公文 fonts and what stands in for each one where it is not installed.

One table, two declarations of it:

- `font_table_entries()` goes into the .docx's word/fontTable.xml. Word and WPS take `w:altName` when the
  named font is missing (仿宋_GB2312 → 仿宋, 仿宋 → FangSong), then match on panose, GB2312 charset and
  family, which lands on an installed Chinese font of the same kind.
- `fontconfig_xml()` is the same chain for LibreOffice and the 信创 suites built on it. LibreOffice reads
  only the font name from fontTable.xml (it ignores altName) and asks fontconfig for a substitute, which
  without this file is the system's default Chinese font whatever the style (here WenQuanYi Micro Hei, a
  黑体-style sans, for the body, the title and the headings alike). Installed as a fontconfig snippet
  (`python -m assistant.drafting.fonts > ~/.config/fontconfig/conf.d/60-gongwen-fonts.conf`) it sends
  仿宋 to a 仿宋 or 楷 font, the title to a 宋 font and 黑体 to a 黑 font.

Every fallback is a CJK font whose ideographs are one em wide, so the 28 characters a line hold whichever
one is used.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

GB2312_CHARSET = "86"  # w:charset is hexadecimal: 0x86, GB2312_CHARSET
# OS/2 ulUnicodeRange1-4 and ulCodePageRange1-2 of a GB2312 font: Latin, CJK ideographs and punctuation,
# code page 936 (bit 18 of the first code page word).
GB2312_SIG = ("00000001", "080E0000", "00000010", "00000000", "00040000", "00000000")


@dataclass(frozen=True)
class GongwenFont:
    name: str
    fallbacks: tuple[str, ...]  # in order; the first is Word's altName
    panose: str
    family: str = "modern"  # w:family: how Word classifies the font when matching a substitute
    pitch: str = "fixed"


# Free fonts at the end of each chain, as Debian and most Linux desktops ship them: AR PL UKai (楷, the
# substitute LibreOffice's own table names for FangSong), AR PL UMing and Noto Serif CJK (宋),
# Noto Sans CJK and WenQuanYi (黑).
FONTS: tuple[GongwenFont, ...] = (
    GongwenFont("仿宋_GB2312", ("仿宋", "FangSong", "STFangsong", "华文仿宋", "AR PL UKai CN", "Noto Serif CJK SC"),
                "02010609030101010101"),
    GongwenFont("仿宋", ("FangSong", "STFangsong", "华文仿宋", "AR PL UKai CN", "Noto Serif CJK SC"), "02010609060101010101"),
    GongwenFont("楷体_GB2312", ("楷体", "KaiTi", "STKaiti", "华文楷体", "AR PL UKai CN", "Noto Serif CJK SC"),
                "02010609030101010101"),
    GongwenFont("楷体", ("KaiTi", "STKaiti", "华文楷体", "AR PL UKai CN", "Noto Serif CJK SC"), "02010609060101010101"),
    GongwenFont("黑体", ("SimHei", "STHeiti", "华文黑体", "Noto Sans CJK SC", "WenQuanYi Micro Hei"), "02010609060101010101"),
    GongwenFont("方正小标宋简体", ("方正小标宋_GBK", "华文中宋", "STZhongsong", "宋体", "SimSun", "Noto Serif CJK SC",
                                "AR PL UMing CN"), "02000000000000000000", family="auto", pitch="variable"),
    GongwenFont("宋体", ("SimSun", "Noto Serif CJK SC", "AR PL UMing CN"), "02010600030101010101",
                family="auto", pitch="variable"),
)


def font_table_entries() -> dict[str, str]:
    """Font name → its w:font element (namespace prefix w:) for word/fontTable.xml."""
    entries = {}
    usb0, usb1, usb2, usb3, csb0, csb1 = GB2312_SIG
    for font in FONTS:
        entries[font.name] = (
            f'<w:font w:name="{escape(font.name)}"><w:altName w:val="{escape(font.fallbacks[0])}"/>'
            f'<w:panose1 w:val="{font.panose}"/><w:charset w:val="{GB2312_CHARSET}"/>'
            f'<w:family w:val="{font.family}"/><w:pitch w:val="{font.pitch}"/>'
            f'<w:sig w:usb0="{usb0}" w:usb1="{usb1}" w:usb2="{usb2}" w:usb3="{usb3}" w:csb0="{csb0}" w:csb1="{csb1}"/>'
            "</w:font>")
    return entries


def fontconfig_xml() -> str:
    """A fontconfig snippet: each 公文 font name is followed by its fallbacks (`accept`, so an installed
    仿宋_GB2312 is still used first)."""
    aliases = []
    for font in FONTS:
        accept = "".join(f"<family>{escape(name)}</family>" for name in font.fallbacks)
        aliases.append(f'  <alias binding="same"><family>{escape(font.name)}</family><accept>{accept}</accept></alias>')
    return ('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
            "<!-- 公文字体的替代顺序（招商知识助手 assistant/drafting/fonts.py 生成） -->\n<fontconfig>\n"
            + "\n".join(aliases) + "\n</fontconfig>\n")


if __name__ == "__main__":
    print(fontconfig_xml(), end="")
