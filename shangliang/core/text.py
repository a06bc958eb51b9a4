"""Chinese text: segmentation, CJK bigrams and similarity (TF-IDF cosine, character ratio).

One module for every app that compares or searches Chinese text (proposals, opinion
reports, topics, public requests):

* :func:`tokens` cuts text into words with rjieba (jieba's dictionary plus
  :data:`DOMAIN_WORDS`, the committees' own vocabulary, so that 乡村振兴 or 营商环境 stay
  one word), lower-cased, without punctuation, whitespace and :data:`STOP_WORDS` (function
  words and the boilerplate every proposal title has: 关于…的建议, 进一步加强…);
* :func:`bigrams` gives the overlapping CJK character pairs (for substring recall);
* :class:`SimilarityIndex` ranks documents by TF-IDF cosine over weighted word counts, and
  :func:`char_ratio` (difflib on the normalised text) verifies the best candidates, which
  catches rewrites whose words changed but whose wording is still close.
"""

from __future__ import annotations

import difflib
import heapq
import math
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from typing import Generic, TypeVar

import rjieba

# Words jieba's general dictionary splits but the committees use as one term.
DOMAIN_WORDS = (
    "政协",
    "政协委员",
    "委员",
    "常委",
    "提案",
    "提案人",
    "承办单位",
    "社情民意",
    "协商议政",
    "界别",
    "乡村振兴",
    "义务教育",
    "学前教育",
    "职业教育",
    "营商环境",
    "民营经济",
    "中小企业",
    "高质量发展",
    "新质生产力",
    "生态环境",
    "生态保护",
    "黄河流域",
    "河长制",
    "垃圾分类",
    "养老服务",
    "居家养老",
    "医养结合",
    "医疗保障",
    "分级诊疗",
    "家庭医生",
    "老旧小区",
    "城市更新",
    "新能源汽车",
    "充电桩",
    "数字经济",
    "数字政府",
    "一网通办",
    "基层治理",
    "网格化",
    "非遗",
    "文旅融合",
    "食品安全",
    "高标准农田",
    "耕地保护",
    "农村电商",
    "校外培训",
    "双减",
    "延时服务",
    "公积金",
    "灵活就业",
    "新就业形态",
)

# Function words and the boilerplate of proposal titles: they say nothing about the topic.
STOP_WORDS = frozenset(
    """
    的 了 和 与 及 以及 或 或者 并 并且 而 而且 在 对 对于 为 为了 把 将 被 从 向 由 于 以 之
    其 是 有 也 都 就 等 中 上 下 个 这 那 该 此 各 我 我们 我市 我省 我县 我区 本 一 一些
    关于 建议 提案 意见 进一步 加强 推进 推动 加快 促进 提升 提高 完善 健全 强化 做好 切实
    积极 不断 持续 全面 深入 有效 工作 问题 方面 有关 相关 进行 开展 实施 着力 努力
    """.split()
)

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORDY = re.compile(rf"[0-9a-z{_CJK}]")
_CJK_RUN = re.compile(rf"[{_CJK}]+")
_SPACE = re.compile(r"\s+")
_NOT_TEXT = re.compile(rf"[^0-9a-z{_CJK}]+")

_jieba: rjieba.Jieba | None = None
_jieba_lock = threading.Lock()


def segmenter() -> rjieba.Jieba:
    """The shared rjieba instance with :data:`DOMAIN_WORDS` added (built on first use)."""
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                jieba = rjieba.Jieba()
                for word in DOMAIN_WORDS:
                    jieba.add_word(word, None, None)  # frequency suggested by jieba itself
                _jieba = jieba
    return _jieba


def normalise(text: str) -> str:
    """NFKC (full-width letters and digits become ASCII), lower case, single spaces."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text or "").lower()).strip()


def tokens(text: str) -> list[str]:
    """The words of ``text``: no punctuation, whitespace or stop words."""
    clean = normalise(text)
    if not clean:
        return []
    return [
        w
        for w in segmenter().cut(clean)
        if w not in STOP_WORDS and _WORDY.search(w) and not w.isspace()
    ]


def bigrams(text: str) -> list[str]:
    """Overlapping CJK character pairs of each run of Chinese characters (a lone character
    is kept as itself)."""
    out: list[str] = []
    for run in _CJK_RUN.findall(normalise(text)):
        if len(run) == 1:
            out.append(run)
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


def compact(text: str) -> str:
    """Only letters, digits and Chinese characters: what :func:`char_ratio` compares."""
    return _NOT_TEXT.sub("", normalise(text))


def char_ratio(a: str, b: str, *, limit: int = 1500) -> float:
    """difflib's similarity ratio (0–1) of the two texts' characters (first ``limit`` each)."""
    ca, cb = compact(a)[:limit], compact(b)[:limit]
    if not ca or not cb:
        return 0.0
    return difflib.SequenceMatcher(None, ca, cb, autojunk=False).ratio()


def weighted_terms(parts: Iterable[tuple[str, float]]) -> dict[str, float]:
    """Word counts of several texts, each text's counts multiplied by its weight (a title
    counts more than the body)."""
    counts: dict[str, float] = {}
    for text, weight in parts:
        for word, n in Counter(tokens(text)).items():
            counts[word] = counts.get(word, 0.0) + n * weight
    return counts


K = TypeVar("K", bound=Hashable)


def _tf(count: float) -> float:
    """Sublinear term frequency: the tenth mention of a word adds little."""
    return 1.0 + math.log(count) if count >= 1 else count


class SimilarityIndex(Generic[K]):
    """TF-IDF vectors (sparse dicts, sublinear tf, smoothed idf) with cosine similarity.

    ``add`` every document's term counts, then ``query`` (or ``score`` documents that are
    not in the index) — IDF comes from the documents added, so build one index per corpus.
    The vectors and an inverted index are built on the first query; an index that is no
    longer added to may be shared between threads.
    """

    def __init__(self) -> None:
        self._docs: dict[K, Mapping[str, float]] = {}
        self._df: Counter[str] = Counter()
        self._idf: dict[str, float] | None = None
        self._postings: dict[str, list[tuple[K, float]]] | None = None

    def __len__(self) -> int:
        return len(self._docs)

    def add(self, key: K, counts: Mapping[str, float]) -> None:
        if key in self._docs:
            self._df.subtract(self._docs[key].keys())
        self._docs[key] = counts
        self._df.update(counts.keys())
        self._idf = self._postings = None

    def idf(self, term: str) -> float:
        table = self._idf
        if table is None:
            n = len(self._docs)
            table = {t: math.log((1 + n) / (1 + df)) + 1.0 for t, df in self._df.items() if df}
            self._idf = table
        found = table.get(term)
        return found if found is not None else math.log(1 + len(self._docs)) + 1.0

    def vector(self, counts: Mapping[str, float]) -> dict[str, float]:
        vec = {t: _tf(c) * self.idf(t) for t, c in counts.items() if c > 0}
        norm = math.sqrt(sum(v * v for v in vec.values()))
        return {t: v / norm for t, v in vec.items()} if norm else {}

    def _inverted(self) -> dict[str, list[tuple[K, float]]]:
        postings = self._postings
        if postings is None:
            postings = {}
            for key, counts in self._docs.items():
                for term, weight in self.vector(counts).items():
                    postings.setdefault(term, []).append((key, weight))
            self._postings = postings
        return postings

    def query(
        self, counts: Mapping[str, float], *, limit: int = 10, exclude: K | None = None
    ) -> list[tuple[K, float]]:
        """The ``limit`` documents most similar to ``counts``, best first (score > 0)."""
        postings = self._inverted()
        scores: dict[K, float] = {}
        for term, w in self.vector(counts).items():
            for key, dw in postings.get(term, ()):
                scores[key] = scores.get(key, 0.0) + w * dw
        if exclude is not None:
            scores.pop(exclude, None)
        return heapq.nlargest(limit, scores.items(), key=lambda kv: kv[1])

    def score(self, counts: Mapping[str, float], other: Mapping[str, float]) -> float:
        """The cosine of two documents (either may be outside the index), with its IDF."""
        return cosine(self.vector(counts), self.vector(other))


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """The dot product of two normalised sparse vectors."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return sum(w * large.get(t, 0.0) for t, w in small.items())
