"""Drafting: 提案答复函 and report sections in 公文 format, figures locked to the database; .docx export.

Library entry points (the CLI, the API and the 起草 tab call only these):

- `draft_reply(ReplyRequest, kb, store, chat_model=None) -> Draft`
- `draft_report(ReportRequest, kb, store, chat_model=None) -> Draft`
- `check_consistency(text | CleanDocument, store, period=None) -> list[FigureCheck]`
- `export_docx(draft, path)` / `docx_bytes(draft) -> bytes`
- `read_proposal(path) -> ProposalText`, `split_suggestions(text)`, `read_document(path)` for uploads
"""

from assistant.drafting.check import as_document, check_consistency, read_document
from assistant.drafting.docx_export import docx_bytes, export_docx
from assistant.drafting.proposal import ProposalText, parse_proposal, read_proposal, split_suggestions
from assistant.drafting.reply import ReplyRequest, draft_reply
from assistant.drafting.report import ReportRequest, draft_report
from assistant.drafting.sources import source_lines
from assistant.drafting.types import Draft, DraftHeader, DraftTable, FigureCheck, Paragraph

__all__ = [
    "Draft",
    "DraftHeader",
    "DraftTable",
    "FigureCheck",
    "Paragraph",
    "ProposalText",
    "ReplyRequest",
    "ReportRequest",
    "as_document",
    "check_consistency",
    "docx_bytes",
    "draft_reply",
    "draft_report",
    "export_docx",
    "parse_proposal",
    "read_document",
    "read_proposal",
    "source_lines",
    "split_suggestions",
]
