"""The staff workbench (Gradio): 问答, 知识库 and 数据 tabs over the same library the CLI and API use.

Mounted by assistant.api via assistant.ui.app.mount_ui; this package init stays empty so that
assistant.ui.paths can be imported without importing gradio.
"""
