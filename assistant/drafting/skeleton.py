"""通知 and 请示 skeletons: the parts a 公文 of that form has, in order, each marked 【待补充】 where the
officer must write the content — the draft never invents aims, tasks or requests. Wording comes from
prompts/drafting/notice.yaml and request_for_instructions.yaml."""

from __future__ import annotations

from datetime import date as Date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .compose import cn_date, heading, placeholder
from .reply import DEFAULT_OFFICE
from .templates import TemplateError, fill, load
from .types import Draft, DraftHeader, Paragraph

TEMPLATES = {"通知": "notice", "请示": "request_for_instructions"}
KINDS: dict[str, Literal["notice", "request"]] = {"通知": "notice", "请示": "request"}


class SkeletonRequest(BaseModel):
    """What an officer fills in for a 通知 or a 请示."""

    model_config = ConfigDict(str_strip_whitespace=True)

    form: Literal["通知", "请示"]
    subject: str = Field(min_length=2, max_length=100, description="事由，如“开展招商引资项目集中签约活动”（标题为“…关于事由的通知”）")
    office: str = Field(DEFAULT_OFFICE, max_length=60, description="发文机关")
    recipient: str = Field("", max_length=100, description="主送机关；请示只写一个，默认“市人民政府”")
    date: Date | None = Field(None, description="成文日期，默认今天")
    doc_number: str = Field("", max_length=40, description="发文字号")
    signer: str = Field("", max_length=20, description="签发人（请示须标注）")
    contact: str = Field("", max_length=40, description="联系人")
    phone: str = Field("", max_length=60, description="联系电话")
    cc: str = Field("", max_length=200, description="抄送（可空）")


def draft_skeleton(request: SkeletonRequest, today: Date | None = None) -> Draft:
    """起草通知或请示的骨架：各部分齐全，需要经办人写的内容标【待补充】。"""
    template = load(TEMPLATES[request.form])
    subject = request.subject.removeprefix("关于").removesuffix(f"的{request.form}")

    def text(key: str, **extra: str) -> str:
        if key not in template:
            raise TemplateError(f"起草模板 {TEMPLATES[request.form]}.yaml 中缺少“{key}”")
        return fill(str(template[key]), office=request.office, subject=subject, **extra)

    written = request.date or today or Date.today()
    draft = Draft(kind=KINDS[request.form], title=text("title"), as_of=written,
                  header=DraftHeader(office=request.office, doc_number=request.doc_number, signer=request.signer))
    recipients = request.recipient or text("recipient")
    if request.form == "请示" and any(mark in recipients for mark in "，、,"):
        draft.warnings.append(f"请示只主送一个机关，“{recipients}”中有几个，请只留一个，其余可抄送。")
    if request.form == "请示" and not request.signer:
        draft.warnings.append("上行文（请示）须在版头标注签发人，请填写签发人。")
    add = draft.paragraphs.append
    add(Paragraph(kind="recipient", text=recipients.rstrip("：:") + "："))
    add(placeholder(text("opening")))
    for section in template.get("sections") or []:
        add(heading(fill(str(section["heading"]), office=request.office, subject=subject)))
        add(placeholder(fill(str(section["body"]), office=request.office, subject=subject)))
    if "closing" in template:
        add(Paragraph(kind="closing", text=text("closing")))
    add(Paragraph(kind="signature", text=request.office))
    add(Paragraph(kind="date", text=cn_date(written)))
    if request.contact or request.phone or request.form == "请示":
        add(Paragraph(kind="contact", text=text("contact", name=request.contact or "【待补充】",
                                                phone=request.phone or "【待补充】")))
    if request.cc:
        cc = request.cc if request.cc.startswith("抄送") else f"抄送：{request.cc.rstrip('。')}。"
        add(Paragraph(kind="cc", text=cc))
    add(Paragraph(kind="issued", text=text("issued", issuer=text("issuer"), date=cn_date(written))))
    return draft
