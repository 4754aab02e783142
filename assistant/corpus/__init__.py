"""Files → documents → chunks: loaders, 公文 metadata, cleanup, chunking."""
