"""The 起草 tab's 通报、通知、请示 sub-tab: a 情况通报 built from the ledgers (周动态, 月排名, 季度考核) or a 通知 /
请示 skeleton, drafted through the Workspace's one drafting use case and previewed, edited and exported like the
other drafts (DraftingTab supplies the pane — preview, editor, export — and its wiring)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import gradio as gr
from pydantic import ValidationError

from assistant.drafting.bulletin import BulletinRequest
from assistant.drafting.forms import FORMS, form_named
from assistant.drafting.skeleton import SkeletonRequest
from assistant.ui.drafting_inputs import FIELD_LABELS, NO_DATABASE, invalid_message, parse_day, unchanged
from assistant.ui.html import notice
from assistant.ui.session import refused_as_toast, workspace_of

if TYPE_CHECKING:
    from assistant.drafting.forms import DraftRequest
    from assistant.services import Services
    from assistant.ui.drafting import DraftPane
    from assistant.workspace import Workspace


class OtherForms:
    """Mixed into DraftingTab."""

    services: Services
    write_controls: list[gr.Button]

    if TYPE_CHECKING:
        def _pane(self, prefix: str) -> DraftPane: ...
        def _wire(self, pane: DraftPane, go: gr.Button, handler: Callable[..., tuple[Any, ...]],
                  inputs: list[Any], status: gr.HTML) -> None: ...
        def _drafted(self, workspace: Workspace, request: DraftRequest, with_sources: bool, done: str,
                     level: str = "ok") -> tuple[Any, ...]: ...

    def _other_forms(self) -> None:
        with gr.Row(equal_height=False):
            with gr.Column(scale=2, min_width=360, elem_classes="zs-form"):
                gr.Markdown("#### 情况通报、通知、请示")
                gr.HTML('<div class="zs-hint">通报的数字取自项目台账、县区指标和考核方案，每个数字写明截至日期；'
                        "通知、请示生成各部分齐全的骨架，需要写的内容标【待补充】。</div>")
                titles = [f.title for f in FORMS if f.request in (BulletinRequest, SkeletonRequest)]
                form = gr.Radio(label="文种", choices=titles, value=titles[0], elem_id="zs-forms-form")
                period = gr.Textbox(label="期间（月排名、季度考核）", placeholder="如 2023-07、2023Q2；不填用成文日期前最新的期间",
                                    max_length=30, elem_id="zs-forms-period")
                with gr.Row():
                    date_from = gr.Textbox(label="较早的台账日期（周动态）", placeholder="如 2023-07-21；不填为上一期",
                                           max_length=20, elem_id="zs-forms-from")
                    date_to = gr.Textbox(label="较晚的台账日期（周动态）", placeholder="不填为最新一期", max_length=20,
                                         elem_id="zs-forms-to")
                subject = gr.Textbox(label="事由（通知、请示）", placeholder="如：开展招商引资项目集中签约活动", max_length=100,
                                     elem_id="zs-forms-subject")
                recipient = gr.Textbox(label="主送（可空，按文种默认）", max_length=100)
                with gr.Row():
                    letter_date = gr.Textbox(label="成文日期", placeholder="如 2023-08-05；不填为数据的时点或今天",
                                             max_length=20, elem_id="zs-forms-date")
                    signer = gr.Textbox(label="签发人（请示须填）", max_length=20)
                with gr.Row():
                    contact = gr.Textbox(label="联系人", max_length=40)
                    phone = gr.Textbox(label="联系电话", max_length=60)
                go = gr.Button("起草", variant="primary", elem_id="zs-forms-go")
                self.write_controls.append(go)
                status = gr.HTML()
            with gr.Column(scale=3, min_width=480):
                pane = self._pane("forms")
        self._wire(pane, go, self.draft_other, [form, period, date_from, date_to, subject, recipient, letter_date,
                                                signer, contact, phone], status)

    def draft_other(self, title: str | None, period: str | None, date_from: str | None, date_to: str | None,
                    subject: str | None, recipient: str | None, letter_date: str | None, signer: str | None,
                    contact: str | None, phone: str | None, with_sources: bool, http: gr.Request) -> tuple[Any, ...]:
        """A 通报 (from the ledgers) or a 通知 / 请示 skeleton, through the Workspace's one drafting use case."""
        workspace = workspace_of(self.services, http)
        with refused_as_toast():
            workspace.require("draft", title or "")
        try:
            form = form_named(title or "")
            days = {name: parse_day(value, FIELD_LABELS[name]) for name, value in
                    (("date_from", date_from), ("date_to", date_to), ("date", letter_date))}
        except (KeyError, ValueError) as exc:
            return unchanged(notice(str(exc).strip("'\""), "warn"))
        text = {name: (value or "").strip() for name, value in
                (("recipient", recipient), ("signer", signer), ("contact", contact), ("phone", phone))}
        try:
            request: BulletinRequest | SkeletonRequest
            if form.request is BulletinRequest:
                if workspace.figure_store() is None:
                    return unchanged(notice(NO_DATABASE, "warn"))
                request = BulletinRequest(kind=dict(form.fixed)["kind"], period=(period or "").strip() or None,  # type: ignore[arg-type]
                                          date_from=days["date_from"], date_to=days["date_to"], date=days["date"],
                                          recipient=text["recipient"])
            else:
                request = SkeletonRequest(form=form.name, subject=(subject or "").strip(), date=days["date"],  # type: ignore[arg-type]
                                          **text)
        except ValidationError as exc:
            return unchanged(notice(invalid_message(exc), "warn"))
        return self._drafted(workspace, request, with_sources, f"已生成{form.title}草稿，请在右侧核对后下载。")

