"""Chunks → index: embedders, Chroma store, BM25 over jieba tokens, hybrid fusion, manifest."""
