"""Disclosure markings: every form staff print, wherever a 公文 carries it, read from plain strings and from Word
and PDF files; sentences about 信息公开 or 内部控制 that must not restrict; the reason kept with the class; the
default for unmarked documents; an administrator's class kept across re-ingest."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.corpus.cleanup import clean
from assistant.corpus.gongwen import extract_metadata
from assistant.corpus.loaders import RawBlock, RawDocument, load_file
from assistant.corpus.markings import classify, find_markings, markings_of
from assistant.index import ingest as ingest_module
from assistant.index.disclosure import reclassify
from assistant.index.ingest import ingest
from assistant.index.kb import KnowledgeBase, SearchFilters
from tests.kb.marked import PICTURE_PLACES, PLACES, marked_docx
from tests.kb.test_loaders import make_pdf

BODY = ["关于青松专项推进情况的说明", "一、基本情况", "青松专项的测算为每亩九万元，谈判代号为青松暗码。",
        *[f"（{n}）第{n}项工作按计划推进，完成了阶段目标。" for n in range(1, 25)], "二、下一步打算", "继续推进。"]
BANJI = ["抄送：市发展和改革委员会，市商务局。", "安康市招商和经济合作局办公室 2024年3月1日印发"]

# (marking, where it is printed): head = first line, tail = last line, banji = after 抄送 and 印发 in the 版记
RESTRICTED = [
    ("内部资料 注意保存", "head"), ("内部资料  注意保存", "tail"), ("【内部】", "head"), ("［内部］", "head"),
    ("[内部]", "head"), ("（内部）", "head"), ("(内部)", "head"), ("〔内部〕", "head"), ("<内部>", "head"),
    ("仅供内部参考", "head"), ("内部文件，严禁外传", "head"), ("内部文件,严禁外传", "tail"), ("内 部 资 料", "head"),
    ("内　部", "head"), ("密级：内部", "head"), ("密级:内部", "head"), ("密 级：内 部", "head"), ("★内部", "head"),
    ("内部★", "head"), ("★ 内部 ★", "head"), ("不宜公开", "head"), ("此件不宜公开", "tail"), ("此件不公开", "tail"),
    ("（此件不公开）", "tail"), ("(此件不予公开)", "tail"), ("不予公开", "head"), ("公开方式：不予公开", "banji"),
    ("公开属性：不予公开", "head"), ("公开属性：非公开", "head"), ("公开属性：不公开", "head"), ("依申请公开", "head"),
    ("公开属性：依申请公开", "head"), ("信息公开选项：依申请公开", "banji"), ("（此件依申请公开）", "tail"),
    ("限内部使用", "head"), ("仅限内部使用", "head"), ("内部使用", "head"), ("内部传阅", "head"), ("内部参考", "head"),
    ("内部掌握", "head"), ("内部明电", "head"), ("内部通报", "head"), ("工作秘密", "head"), ("不对外公开", "tail"),
    ("本件不对外公开", "tail"), ("内部资料·请勿外传", "head"), ("内部资料，妥善保管", "head"), ("严禁外传", "head"),
    ("注意保密", "head"), ("阅后收回", "tail"), ("仅供领导参阅", "head"), ("INTERNAL USE ONLY", "head"),
    ("Confidential", "head"), ("安康市招商和经济合作局内部资料", "head"), ("招商动态（内部资料）", "head"),
    ("招商简报 2024年第3期（内部）", "head"), ("内部资料（第12期）", "head"), ("公开属性：内部（不得外传）", "head"),
    ("类别：C类", "head"), ("公开属性：主动公开\n内部", "head"), ("内部资料 注意保存", "middle"),
    ("內部資料 注意保存", "head"), ("公開屬性：依申請公開", "head"), ("內\u200b部", "head"),  # traditional (OCR), zero-width
]
CLASSIFIED = ["秘密★1年", "绝密★启用前", "机密", "密级：机密★10年", "公开属性：涉密", "秘密"]
PUBLIC_MARKED = ["公开属性：主动公开", "（此件公开发布）", "类别：A类", "信息公开选项：主动公开", "公开"]
# Lines that talk about disclosure or use 内部 as an ordinary word: they must not restrict (nor mark as 公开).
NOT_MARKINGS = [
    "根据《中华人民共和国政府信息公开条例》，本局依法做好政府信息公开工作。", "关于进一步做好政府信息公开工作的通知",
    "关于做好依申请公开答复工作的通知", "对依法不予公开的政府信息，应当书面说明理由。", "加强内部控制，完善内部审计制度。",
    "内部审计工作规定", "关于开展内部控制评价的通知", "内部控制手册", "各单位要加强内部资料管理，严禁外传。",
    "本单位内部机构设置", "一、内部管理", "政府信息公开工作年度报告", "关于规范各处室内部资料管理的通知", "仅供参考",
    "注意保存", "关于外资项目内部情况的说明", "抄送：市政府办公室。", "项目名称：内部", "内部挖潜、外部引资两手抓。",
]


def _lines(marking: str, where: str) -> list[str]:
    if where == "head":
        return [*marking.split("\n"), *BODY]
    if where == "tail":
        return [*BODY, marking]
    if where == "banji":
        return [*BODY, *BANJI, marking]
    return [*BODY[:12], marking, *BODY[12:]]  # a stamp line mid-document


@pytest.mark.parametrize(("marking", "where"), RESTRICTED, ids=[f"{w}-{m}" for m, w in RESTRICTED])
def test_restriction_markings_make_a_document_internal_and_say_where(marking: str, where: str) -> None:
    decided = classify(find_markings(_lines(marking, where)))
    assert decided.access == "内部", decided
    assert decided.basis == "marking"
    place = {"head": "首部", "tail": "文末", "banji": "版记", "middle": "正文"}[where]
    assert place in decided.reason, decided.reason
    if "依申请" in marking:
        assert "依申请公开的文件不主动公开" in decided.reason


def test_the_table_covers_at_least_forty_variants() -> None:
    assert len({m for m, _ in RESTRICTED}) >= 40


@pytest.mark.parametrize("marking", CLASSIFIED)
def test_classified_markings_are_classified(marking: str) -> None:
    assert classify(find_markings([marking, *BODY])).access == "涉密"


@pytest.mark.parametrize("marking", PUBLIC_MARKED)
def test_public_markings_are_public_and_named(marking: str) -> None:
    decided = classify(find_markings([marking, *BODY]), default="内部")
    assert decided.access == "公开" and decided.basis == "marking", decided


@pytest.mark.parametrize("line", NOT_MARKINGS)
@pytest.mark.parametrize("where", ["head", "tail", "middle"])
def test_sentences_about_disclosure_or_internal_matters_do_not_restrict(line: str, where: str) -> None:
    decided = classify(find_markings(_lines(line, where)))
    assert decided.access == "公开" and decided.basis == "default", decided


def test_conflicting_markings_fail_closed_and_say_so() -> None:
    decided = classify(find_markings(["公开属性：主动公开", *BODY, *BANJI, "公开方式：不予公开"]))
    assert decided.access == "内部"
    assert "版记“公开方式：不予公开”" in decided.reason and "标注不一致时从严" in decided.reason


def test_a_flattened_table_listing_other_documents_classes_does_not_restrict() -> None:
    lines = [*BODY, "\t文件名称", "\t公开属性", "", "\t某通知", "\t不予公开", "", "\t某办法", "\t依申请公开", "二、其他", "说明。"] + \
        ["正文。"] * 12
    assert classify(find_markings(lines)).access == "公开"


def test_unmarked_documents_get_the_default_and_the_reason_names_the_setting() -> None:
    decided = classify(find_markings(BODY), default="内部")
    assert decided.access == "内部" and decided.basis == "default"
    assert "ASSISTANT_DEFAULT_DISCLOSURE" in decided.reason


def test_a_marking_line_is_not_taken_for_the_title() -> None:
    raw = RawDocument(path=Path("x.txt"), fmt="txt", blocks=[RawBlock(text=t) for t in ["内部资料 注意保存", *BODY]])
    meta = extract_metadata(clean(raw), "x", markings_of(raw))
    assert meta.title == BODY[0] and meta.access == "内部"
    assert meta.access_reason == "标注：首部第1行“内部资料 注意保存”"


# --- Word and PDF files: markings outside the body text -------------------------------------------------

@pytest.mark.parametrize("place", PLACES)
def test_word_markings_outside_the_body_are_read(tmp_path: Path, place: str) -> None:
    path = tmp_path / f"{place}.docx"
    path.write_bytes(marked_docx(BODY, place, "内部资料 注意保存"))
    raw = load_file(path)
    decided = classify(markings_of(raw))
    assert decided.access == "内部", (place, raw.margins)
    expected = {"header": "页眉", "footer": "页脚", "first-page-header": "页眉", "vml-watermark": "水印",
                "wordart-watermark": "水印", "text-box": "文本框", "property": "文档属性“密级”",
                "sensitivity-label": "文档属性“敏感度标签”", "category": "文档属性“类别”", "body": "首部"}[place]
    assert expected in decided.reason
    assert place == "body" or "内部资料" not in "".join(b.text for b in raw.blocks)  # margins are not indexed


@pytest.mark.parametrize("place", PICTURE_PLACES)
def test_a_picture_watermark_is_read_by_ocr(tmp_path: Path, place: str) -> None:
    """A watermark that is a picture of 内部资料 (VML, as Word's 图片水印, or a DrawingML picture behind the text)."""
    from assistant.corpus.ocr import available

    if not available():
        pytest.skip("需要文字识别组件（pip install -e '.[ocr]'）")
    path = tmp_path / f"{place}.docx"
    path.write_bytes(marked_docx(BODY, place, "内部资料 注意保存"))
    raw = load_file(path)
    decided = classify(markings_of(raw))
    assert decided.access == "内部" and decided.reason.startswith("标注：图片水印“内部资料"), raw.margins
    assert "内部资料" not in "".join(b.text for b in raw.blocks)


def test_a_picture_watermark_that_is_no_marking_does_not_restrict(tmp_path: Path) -> None:
    from assistant.corpus.ocr import available

    if not available():
        pytest.skip("需要文字识别组件（pip install -e '.[ocr]'）")
    path = tmp_path / "样稿.docx"
    path.write_bytes(marked_docx(BODY, "picture-watermark", "安康招商 样稿"))
    raw = load_file(path)
    assert [m.place for m in raw.margins] == ["图片水印"] and classify(markings_of(raw)).access == "公开"


def test_without_ocr_a_picture_watermark_is_named_in_the_class_reason(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """On a machine without the `ocr` extra: the picture cannot be read, the class stands on the other markings
    (here none: the default), and the reason and the ingest summary say what was not read."""
    from assistant.corpus import ocr

    def missing() -> ocr.OcrEngine:
        raise ocr.OcrUnavailable(f"未安装文字识别组件（OCR，缺少 rapidocr_onnxruntime）。{ocr.INSTALL_HINT}")

    monkeypatch.setattr(ocr, "default_engine", missing)
    path = tmp_path / "docs" / "图片水印.docx"
    path.parent.mkdir()
    path.write_bytes(marked_docx(BODY, "picture-watermark", "内部资料"))
    kb = _kb(tmp_path)
    try:
        report = ingest(kb, [path.parent])
        [record] = kb.manifest.documents()
    finally:
        kb.close()
    assert record.meta["access"] == "公开" and record.meta["access_basis"] == "default"
    assert "页眉中有图片水印，未安装文字识别组件（OCR），未能读取其中可能的标注" in record.meta["access_reason"]
    assert "图片水印" in report.summary() and "请管理员核对" in report.summary()


def test_an_ordinary_word_header_does_not_restrict(tmp_path: Path) -> None:
    path = tmp_path / "手册.docx"
    path.write_bytes(marked_docx(BODY, "header", "安康市内部控制工作手册"))
    assert classify(markings_of(load_file(path))).access == "公开"


def test_a_pdf_running_header_is_read(tmp_path: Path) -> None:
    pages = ["\n".join(BODY), "内部资料 注意保存\n二、下一步打算\n继续推进青松专项。"]
    raw = load_file(make_pdf(tmp_path / "x.pdf", pages))
    decided = classify(markings_of(raw))
    assert decided.access == "内部" and "第2页页眉" in decided.reason


# --- through ingest: the class and reason in the manifest, the default, reclassification ----------------

def _kb(tmp_path: Path, default: str = "公开") -> KnowledgeBase:
    return KnowledgeBase(Settings(data_dir=tmp_path / "data", default_disclosure=default))  # type: ignore[arg-type]


def _write(folder: Path, name: str, lines: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _public_hits(kb: KnowledgeBase, query: str) -> list[str]:
    return [h.text for h in kb.search(query, k=10, filters=SearchFilters(access=["公开"]))]


def test_ingest_keeps_the_class_and_reason_and_filters_both_retrievers(tmp_path: Path) -> None:
    kb = _kb(tmp_path)
    _write(tmp_path / "c", "标注.txt", [*BODY, *BANJI, "公开方式：不予公开"])
    _write(tmp_path / "c", "未标注.txt", ["关于白鹭专项的说明", "白鹭专项的谈判代号为白鹭暗码。"])
    _write(tmp_path / "c", "内部控制.txt", ["内部控制手册", "加强内部控制，红枫专项的代号为红枫暗码。"])
    assert ingest(kb, [tmp_path / "c"]).ok
    meta = {r.file_name: r.meta for r in kb.manifest.documents()}
    assert meta["标注.txt"]["access"] == "内部" and "版记“公开方式：不予公开”" in meta["标注.txt"]["access_reason"]
    assert meta["未标注.txt"]["access_basis"] == "default" and meta["内部控制.txt"]["access"] == "公开"
    assert not any("青松暗码" in t for t in _public_hits(kb, "青松专项 谈判代号 青松暗码"))
    assert not any("青松暗码" in h.text for h in kb.dense_search("青松专项 谈判代号", 20, SearchFilters(access=["公开"])))
    assert any("白鹭暗码" in t for t in _public_hits(kb, "白鹭专项 谈判代号"))


def test_default_deny_deployments_restrict_unmarked_documents_and_follow_a_changed_default(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    _write(folder, "未标注.txt", ["关于白鹭专项的说明", "白鹭专项的谈判代号为白鹭暗码。"])
    _write(folder, "公开.txt", ["公开属性：主动公开", "关于黄杨专项的通知", "黄杨专项的代号为黄杨暗码。"])
    kb = _kb(tmp_path, "内部")
    assert ingest(kb, [folder]).ok
    assert not any("白鹭暗码" in t for t in _public_hits(kb, "白鹭专项 谈判代号"))
    assert any("黄杨暗码" in t for t in _public_hits(kb, "黄杨专项 代号"))
    kb.close()
    kb = _kb(tmp_path, "公开")  # the deployment changes its default: the next ingest reclassifies, no re-embedding
    report = ingest(kb, [folder])
    assert report.reclassified == ["未标注.txt"] and report.unchanged == ["公开.txt", "未标注.txt"]
    assert any("白鹭暗码" in t for t in _public_hits(kb, "白鹭专项 谈判代号"))


def test_a_manual_class_takes_effect_at_once_and_survives_re_ingest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                                    ) -> None:
    kb = _kb(tmp_path)
    path = _write(tmp_path / "c", "未标注.txt", ["关于白鹭专项的说明", "白鹭专项的谈判代号为白鹭暗码。"])
    assert ingest(kb, [path]).ok
    [record] = kb.manifest.documents()
    reclassify(kb, record.doc_id, "内部", "含谈判底线", "admin")
    assert not any("白鹭暗码" in t for t in _public_hits(kb, "白鹭专项 谈判代号"))  # both retrievers, at once
    assert not any("白鹭暗码" in h.text for h in kb.dense_search("白鹭专项 谈判代号", 20, SearchFilters(access=["公开"])))
    monkeypatch.setattr(ingest_module, "PIPELINE_VERSION", "test-next")  # forces the file to be processed again
    report = ingest(kb, [path])
    assert report.updated == ["未标注.txt"]
    meta = kb.manifest.documents()[0].meta
    assert meta["access"] == "内部" and meta["access_basis"] == "manual" and "含谈判底线" in meta["access_reason"]
    assert meta["detected_access"] == "公开"
    assert not any("白鹭暗码" in t for t in _public_hits(kb, "白鹭专项 谈判代号"))


def test_a_manual_public_class_does_not_publish_a_changed_file_marked_internal(tmp_path: Path) -> None:
    kb = _kb(tmp_path)
    path = _write(tmp_path / "c", "说明.txt", ["内部", "关于白鹭专项的说明", "白鹭专项的谈判代号为白鹭暗码。"])
    assert ingest(kb, [path]).ok
    reclassify(kb, kb.manifest.documents()[0].doc_id, "公开", "已在政府网站公开", "admin")
    assert any("白鹭暗码" in t for t in _public_hits(kb, "白鹭专项 谈判代号"))
    _write(tmp_path / "c", "说明.txt", ["内部", "关于白鹭专项的说明", "白鹭专项的谈判代号改为白鹭新暗码。"])
    assert ingest(kb, [path]).updated == ["说明.txt"]
    meta = kb.manifest.documents()[0].meta
    assert meta["access"] == "内部" and "新版本的标注更严" in meta["access_reason"]
    assert not any("暗码" in t for t in _public_hits(kb, "白鹭专项 谈判代号"))


def test_the_command_line_lists_each_class_with_its_reason_and_reclassifies_by_file_name(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from assistant.cli import main

    folder = tmp_path / "c"
    _write(folder, "标注.txt", ["内部资料 注意保存", *BODY])
    _write(folder, "未标注.txt", ["关于白鹭专项的说明", "白鹭专项的谈判代号为白鹭暗码。"])
    env = {"ASSISTANT_DATA_DIR": str(tmp_path / "data")}
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", str(folder)], env=env).exit_code == 0
    listed = runner.invoke(main, ["docs"], env=env).output
    assert "公开属性：内部（标注：首部第1行“内部资料 注意保存”）" in listed
    assert "公开属性：公开（未发现公开属性或密级标注，按默认设置归为公开" in listed
    result = runner.invoke(main, ["docs", "reclassify", "未标注.txt", "内部", "--reason", "含谈判底线"], env=env)
    assert result.exit_code == 0 and "由公开改为内部" in result.output, result.output
    assert "改为内部：含谈判底线" in runner.invoke(main, ["docs"], env=env).output
    missing = runner.invoke(main, ["docs", "reclassify", "没有这个文件.txt", "公开", "--reason", "x"], env=env)
    assert missing.exit_code == 1 and "未找到文档“没有这个文件.txt”" in missing.output
    audit = runner.invoke(main, ["audit", "--action", "reclassify", "--json"], env=env).output
    assert "未标注.txt：公开→内部；理由：含谈判底线" in audit


def test_a_server_opening_the_knowledge_base_applies_a_changed_default_at_once(tmp_path: Path) -> None:
    from assistant.services import Services

    folder = tmp_path / "c"
    _write(folder, "未标注.txt", ["关于白鹭专项的说明", "白鹭专项的谈判代号为白鹭暗码。"])
    kb = _kb(tmp_path, "公开")
    assert ingest(kb, [folder]).ok
    kb.close()
    services = Services(Settings(data_dir=tmp_path / "data", default_disclosure="内部"))  # restarted with default-deny
    try:
        assert not any("白鹭暗码" in h.text for h in services.kb.search("白鹭专项 谈判代号", 10,
                                                                      SearchFilters(access=["公开"])))
        assert services.kb.manifest.documents()[0].meta["access_reason"].endswith("按默认设置归为内部（ASSISTANT_DEFAULT_DISCLOSURE）")
    finally:
        services.close()
