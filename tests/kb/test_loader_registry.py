"""The loader registry: one registration makes a new file type readable everywhere files come in."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.corpus.loaders import (
    LOADERS,
    RawBlock,
    RawDocument,
    load_file,
    register_loader,
    supported_types_described,
    supported_types_text,
)
from assistant.errors import LoadError
from assistant.index.ingest import collect_files, ingest
from assistant.index.kb import KnowledgeBase

ROOT = Path(__file__).resolve().parents[2]
NOTE = {"paragraphs": ["关于建立项目管家制度的会议纪要", "会议决定为每个签约项目指定一名项目管家，每月走访一次。"]}


@contextmanager
def note_loader() -> Iterator[None]:
    """A throwaway '.zsnote' format (JSON paragraphs), registered the way a real loader would be, and
    removed afterwards so no other test sees it."""
    assert ".zsnote" not in LOADERS

    @register_loader(".zsnote", label="测试用纪要", mime_types=("application/x-zsnote",))
    def read_note(path: Path) -> RawDocument:
        try:
            paragraphs = json.loads(path.read_text(encoding="utf-8"))["paragraphs"]
        except (ValueError, KeyError) as exc:
            raise LoadError(path, "不是有效的纪要文件") from exc
        return RawDocument(path=path, fmt="zsnote", blocks=[RawBlock(text=p) for p in paragraphs])

    try:
        yield
    finally:
        LOADERS.pop(".zsnote", None)


def note_bytes() -> bytes:
    return json.dumps(NOTE, ensure_ascii=False).encode()


def test_built_in_types_are_listed_in_registration_order() -> None:
    assert supported_types_text() == "txt、md、docx、pdf、png、jpg、jpeg、tif、tiff、doc、wps、rtf、ofd、xlsx、csv、pptx、html、htm"
    assert LOADERS[".docx"].label.startswith("Word") and "application/pdf" in LOADERS[".pdf"].mime_types


def test_a_registered_loader_is_read_walked_and_ingested_then_gone_when_removed(tmp_path: Path) -> None:
    folder = tmp_path / "纪要"
    folder.mkdir()
    (folder / "项目管家会议纪要.zsnote").write_bytes(note_bytes())
    (folder / "说明.txt").write_text("项目管家制度说明：签约项目均有专人跟进。", encoding="utf-8")

    assert [p.name for p in collect_files([folder])[0]] == ["说明.txt"]  # unknown types are skipped in folders
    with pytest.raises(LoadError, match="不支持的文件类型“.zsnote”，仅支持 txt、md、docx、pdf、png、jpg、jpeg、tif、tiff、doc、wps、rtf、ofd、xlsx、csv、pptx、html、htm"):
        load_file(folder / "项目管家会议纪要.zsnote")

    with note_loader():
        assert supported_types_text().endswith("、zsnote")
        assert sorted(p.name for p in collect_files([folder])[0]) == ["说明.txt", "项目管家会议纪要.zsnote"]
        kb = KnowledgeBase(Settings(data_dir=tmp_path / "data"))
        try:
            report = ingest(kb, [folder])
            assert report.ok and sorted(report.added) == ["说明.txt", "项目管家会议纪要.zsnote"], report.summary()
            hit = kb.search("每月走访一次", k=1)[0]
            assert hit.source.endswith("项目管家会议纪要.zsnote") and "指定一名项目管家" in hit.text
            assert kb.manifest.get(hit.doc_id).fmt == "zsnote"  # type: ignore[union-attr]
        finally:
            kb.close()

    assert ".zsnote" not in LOADERS and supported_types_text() == "txt、md、docx、pdf、png、jpg、jpeg、tif、tiff、doc、wps、rtf、ofd、xlsx、csv、pptx、html、htm"


def test_every_supported_types_list_in_the_readme_matches_the_registry() -> None:
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    described = f"支持的文件类型：{supported_types_described()}。"
    assert described in readme
    readme = readme.replace(described, "")  # it names one reader's extensions together (png/jpg…)
    names = "|".join(s.lstrip(".") for s in LOADERS)
    lists = re.findall(rf"(?<![a-z])(?:{names})(?:[、/](?:{names}))+(?![a-z])", readme)
    assert lists, "README 中应列出支持的文件类型"
    for found in lists:
        assert re.split("[、/]", found) == [s.lstrip(".") for s in LOADERS], found
