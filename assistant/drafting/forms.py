"""The forms staff write, in one place: each form's request model and what it is for. The Workspace's one
drafting use case takes any of them (`DraftRequest`, told apart by `form`); the CLI, the API and the
workbench list and offer the forms from FORMS."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import BaseModel, Field

from .bulletin import BulletinRequest
from .reply import ReplyRequest
from .report import ReportRequest
from .skeleton import SkeletonRequest

DraftRequest = Annotated[ReplyRequest | ReportRequest | BulletinRequest | SkeletonRequest, Field(discriminator="form")]


@dataclass(frozen=True)
class Form:
    name: str  # the value of `form` (with `kind` or `style` where one model serves several)
    title: str
    what: str
    request: type[BaseModel]
    fixed: tuple[tuple[str, str], ...] = ()  # fields the form sets: (("kind", "周动态"),)
    template: str = ""  # prompts/drafting/<template>.yaml


FORMS: tuple[Form, ...] = (
    Form("答复函", "提案（建议）答复函（分条）", "逐条答复：一、办理情况，二、存在的问题，三、下一步工作措施；A/B/C类，版记",
         ReplyRequest, (("style", "分条"),), "reply"),
    Form("答复函", "提案（建议）答复函（两段式）", "一、工作成效，二、下一步工作重点（如汉中市经济合作局的答复函），不单列问题",
         ReplyRequest, (("style", "两段式"),), "reply_two_part"),
    Form("工作报告", "工作情况报告", "某期间的工作进展、存在问题（期末仍未解决的）、下一步工作措施和县区指标表", ReportRequest, (),
         "report"),
    Form("工作总结", "工作总结", "与报告相同的数据和依据，按总结的写法（主要工作及成效、问题和不足、下一步打算）", ReportRequest, (),
         "summary"),
    Form("通报", "周动态通报", "两期项目台账之间新增、阶段前进、资金到位、停滞和滞后的项目", BulletinRequest,
         (("kind", "周动态"),), "bulletin"),
    Form("通报", "月排名通报", "某月累计的全市指标、各县区完成进度排名、项目开工率和资金到位率，附县区指标表",
         BulletinRequest, (("kind", "月排名"),), "bulletin"),
    Form("通报", "季度考核通报", "按考核方案计算的各县区得分、类别内排名和主要失分原因，附得分表", BulletinRequest,
         (("kind", "季度考核"),), "bulletin"),
    Form("通知", "通知（骨架）", "目标、任务、要求各部分齐全，内容标【待补充】", SkeletonRequest, (), "notice"),
    Form("请示", "请示（骨架）", "缘由、基本情况、请示事项、“妥否，请批示”，内容标【待补充】，附联系人", SkeletonRequest, (),
         "request_for_instructions"),
)


def form_titles() -> list[str]:
    return [f.title for f in FORMS]


def form_named(title: str) -> Form:
    """The form with this title (as FORMS lists it); KeyError naming the forms otherwise."""
    for form in FORMS:
        if title in (form.title, form.name) and (title == form.title or not form.fixed):
            return form
    raise KeyError(f"没有“{title}”这种文种。可起草的文种：{'、'.join(form_titles())}。")
