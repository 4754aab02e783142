"""One user's workspace: every use case of the assistant, whichever front end asked.

`Workspace(services, user, via)` is built per request (API), per workbench event (UI) or per command (CLI)
from the process's shared `Services`, the acting `User` and the front end ("cli", "api" or "ui"). What a user
may see (disclosure classes, region), what they may do (roles), their per-minute budget for questions and
searches, the write lock and the audit log are applied here, once; the front ends only parse input, call a
method and render the result or the error (`Denied` → 403 / a message / exit 1, `RateLimited` → 429 with
Retry-After / a message in the conversation / exit 1).

Each action writes one audit row — the same action, detail, documents and rows whichever front end called;
only `via` differs. Actions: ask (also for streamed answers), search, figures, check, draft, draft_export,
upload, delete, reingest, ingest, import, reclassify, verify, quiz, feedback, backup, restore, ledger (browsing a ledger table),
ledger_export. A refusal by role or region is
recorded under the action refused, with outcome "denied"; a request over the budget is not recorded.
"""

from __future__ import annotations

import getpass

from assistant.auth.users import User, operator
from assistant.workspace.admin import Admin
from assistant.workspace.base import NO_DATABASE, Via
from assistant.workspace.documents import Documents
from assistant.workspace.drafting import Drafting
from assistant.workspace.learning import Learning
from assistant.workspace.ledgers import Ledgers
from assistant.workspace.reading import Reading, provenance_rows, tool_call_text, without_server_paths


class Workspace(Reading, Documents, Drafting, Learning, Ledgers, Admin):
    """See the module docstring; the use cases are grouped by the mixins' modules."""


def command_line_user() -> User:
    """The person running `assistant …` on the server, named by their OS account."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no login name in a bare container
        name = "命令行"
    return operator(name)


__all__ = ["NO_DATABASE", "Via", "Workspace", "command_line_user", "provenance_rows", "tool_call_text",
           "without_server_paths"]
