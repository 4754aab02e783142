"""HTTP routes, one module per area: asking, documents, figures, and the OpenAI-compatible endpoint.

`assistant.api.create_app` assembles them; `deps` holds the shared resources and their dependencies.
"""
