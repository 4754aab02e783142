"""jieba tokenisation with the domain dictionary shipped in the package (county names, chains, 一图五库…)."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from importlib import resources

import jieba
import jieba.posseg as posseg

jieba.setLogLevel(logging.WARNING)

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None
_tagger: posseg.POSTokenizer | None = None

STOPWORDS = frozenset(
    "的 了 是 在 和 与 及 等 对 把 被 为 将 从 向 以 于 之 其 或 也 都 又 就 并 而 且 中 上 下 "
    "我 我们 你 您 他 她 它 这 那 这个 那个 什么 怎么 怎样 如何 哪些 哪个 多少 吗 呢 吧 啊 "
    "请 请问 一下 有 有没有 没有 是否 可以 能 会 要 个 年 月 日 "
    "哪 几 哪里 为什么 为何 怎么样 多大 多长 多久 是什么 指 指什么 能否 该 应该 可 得到 一个 这些 那些".split()
)
TOKEN = re.compile(r"[\u4e00-\u9fff]|[A-Za-z0-9]")


def _new_tokenizer(domain: bool) -> jieba.Tokenizer:
    """A jieba tokenizer of its own, with the packaged domain dictionary or with jieba's general one alone."""
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    if domain:
        with resources.files("assistant.resources").joinpath("userdict.txt").open("r", encoding="utf-8") as fh:
            tokenizer.load_userdict(fh)
    return tokenizer


def get_tokenizer() -> jieba.Tokenizer:
    global _tokenizer
    with _lock:
        if _tokenizer is None:
            _tokenizer = _new_tokenizer(domain=True)
        return _tokenizer


def _get_tagger() -> posseg.POSTokenizer:
    global _tagger
    with _lock:
        if _tagger is None:
            # its own dictionary: words taught for reading questions must not change how passages are indexed
            _tagger = posseg.POSTokenizer(_new_tokenizer(domain=False))
        return _tagger


def tag(text: str) -> list[posseg.pair]:
    """Words with their part of speech: jieba's general dictionary plus the terms taught by `teach_tagger`, so the
    bureau's terms are read whole (比序时差多少 is 比 | 序时 | 差, not 比序 | 时差)."""
    return list(_get_tagger().cut(text))


def teach_tagger(words: Iterable[str], flag: str = "n") -> None:
    """Teach the question tagger terms of the maintained lists (the synonym groups' writings) as nouns."""
    tagger = _get_tagger()
    with _lock:
        for word in words:
            if word and len(word) > 1:
                # frequent enough to stay whole beside its neighbours (序时 in 比序时差: 时差 is a common word)
                tagger.tokenizer.add_word(word, freq=max(20, tagger.tokenizer.suggest_freq(word)), tag=flag)


def add_words(words: list[str]) -> None:
    """Teach the tokenizer vocabulary found at run time (region aliases from the database, glossary terms)."""
    tokenizer = get_tokenizer()
    for word in words:
        if word and len(word) > 1:
            tokenizer.add_word(word, freq=20)


def tokenize(text: str) -> list[str]:
    """Index tokens: search mode (words and their sub-words), lower-cased, no punctuation or stopwords."""
    return _keep(get_tokenizer().cut_for_search(text))


def tokenize_query(text: str) -> list[str]:
    """Query tokens: precise mode, so a query word is not counted again through its sub-words."""
    return _keep(get_tokenizer().cut(text))


def _keep(raw: Iterable[str]) -> list[str]:
    tokens = []
    for token in raw:
        token = token.strip().lower()
        if token and token not in STOPWORDS and TOKEN.search(token):
            tokens.append(token)
    return tokens
