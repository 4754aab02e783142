"""Loaders beyond plain text, Word, PDF and images, each registered in `corpus.loaders.LOADERS` on import
(this order is the order users see them listed): .doc/.wps (LibreOffice), .ofd, .xlsx/.csv, .pptx, .html/.htm."""

from assistant.corpus.formats import word_binary  # noqa: I001,F401  (registration order, not alphabetical)
from assistant.corpus.formats import ofd, sheets, slides, web  # noqa: F401
