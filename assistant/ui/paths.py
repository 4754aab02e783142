"""Where the workbench is served; importable without importing gradio (the API's body limits need it)."""

UI_PATH = "/ui"
UPLOAD_PATH = f"{UI_PATH}/gradio_api/upload"
