"""Realistic Chinese text for generated records: the domain vocabulary of ``vocab.py`` plus
sentences taken from the documents in ``shared/seeds/`` (committee reports and articles)."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from django.conf import settings

from shangliang.scale import vocab

SEEDS_DIR = Path(settings.BASE_DIR).parent / "shared" / "seeds"
FALLBACK = [
    "各级政协组织围绕中心、服务大局，积极建言资政、凝聚共识",
    "委员们深入基层开展调查研究，提出了许多有价值的意见建议",
    "有关部门高度重视，认真研究办理，推动了一批问题的解决",
    "要坚持以人民为中心的发展思想，着力解决群众急难愁盼问题",
    "协商议事活动把协商平台延伸到基层，广泛听取群众意见",
    "要进一步完善工作机制，提高履职能力和水平",
]
CJK = re.compile(r"[\u4e00-\u9fff]")
BAD = re.compile(r"[A-Za-z0-9□■◆●○△▲『』]")


@cache
def seed_sentences() -> tuple[str, ...]:
    """Clean sentences of 14 to 70 characters from the seed documents (spaces that the
    extraction put inside words are removed)."""
    found: list[str] = []
    if SEEDS_DIR.is_dir():
        for path in sorted(SEEDS_DIR.glob("*.txt")):
            text = re.sub(r"\s+", "", path.read_text(encoding="utf-8", errors="ignore"))
            for piece in re.split(r"[。！？；]", text):
                piece = re.sub(
                    r"^[（(]?[一二三四五六七八九十]+[）)、]", "", piece.strip("，、：,. ")
                )
                if not 14 <= len(piece) <= 70 or BAD.search(piece):
                    continue
                if len(CJK.findall(piece)) / len(piece) < 0.85:
                    continue
                found.append(piece)
    return tuple(dict.fromkeys(found)) or tuple(FALLBACK)


@dataclass(frozen=True)
class Doc:
    title: str
    category: str
    topic: str
    situation: str
    analysis: str
    suggestions: str

    @property
    def body(self) -> str:
        return f"{self.situation}\n{self.analysis}\n{self.suggestions}"


NUMERALS = "一二三四五六七八九"


class TextMaker:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seeds = seed_sentences()
        self.topics = [(cat, t) for cat, items in vocab.TOPICS.items() for t in items]

    def seed(self, n: int) -> list[str]:
        return [self.rng.choice(self.seeds) + "。" for _ in range(n)]

    def name(self) -> str:
        r = self.rng
        given = r.choice(vocab.GIVEN) + (r.choice(vocab.GIVEN) if r.random() < 0.7 else "")
        return r.choice(vocab.SURNAMES) + given

    def _points(self, items: list[str]) -> str:
        return "".join(f"{NUMERALS[i]}是{s}。" for i, s in enumerate(items))

    def proposal(self, place: str) -> Doc:
        r = self.rng
        category, topic = r.choice(self.topics)
        scope = r.choice(vocab.SCOPES)
        aspect = r.choice(vocab.ASPECTS)
        title = f"关于{r.choice(vocab.ACTIONS)}{scope}{topic}{aspect}的建议"[:50]
        problems = r.sample(vocab.PROBLEMS, 3)
        situation = (
            f"近年来，{place}{topic}工作取得积极进展。"
            + "".join(self.seed(r.randint(2, 3)))
            + f"但目前{topic}仍存在{problems[0]}、{problems[1]}等问题，群众反映较为集中。"
        )
        analysis = (
            "究其原因，" + self._points([f"{topic}{p}" for p in problems]) + "".join(self.seed(1))
        )
        suggestions = self._points(
            [f"{r.choice(vocab.ACTIONS)}{topic}{m}" for m in r.sample(vocab.MEASURES, 3)]
        ) + "".join(self.seed(r.randint(1, 2)))
        return Doc(title, category, topic, situation, analysis, suggestions)

    def rewrite(self, doc: Doc) -> Doc:
        """Another member's version of the same proposal: other words, other order."""
        r = self.rng

        def swap(text: str) -> str:
            for a, b in r.sample(vocab.SYNONYMS, 10):
                text = text.replace(a, b)
            return text

        def shuffle(text: str) -> str:
            parts = [p for p in text.split("。") if p]
            r.shuffle(parts)
            if len(parts) > 2:
                parts.pop()
            return "。".join(parts) + "。"

        title = swap(doc.title)
        if r.random() < 0.5:
            title = title.removeprefix("关于").removesuffix("的建议").removesuffix("的提议")
            title = f"关于{title}的几点建议" if r.random() < 0.5 else f"关于{title}的提案"
        return replace(
            doc,
            title=title[:50],
            situation=shuffle(swap(doc.situation)) + "".join(self.seed(1)),
            analysis=swap(doc.analysis),
            suggestions=shuffle(swap(doc.suggestions)),
        )

    def reply(self, doc: Doc, title: str) -> str:
        r = self.rng
        opening = r.choice(vocab.REPLY_OPENINGS).format(title=title, topic=doc.topic)
        done = self._points(
            [f"{r.choice(vocab.ACTIONS)}{doc.topic}{m}" for m in r.sample(vocab.MEASURES, 2)]
        )
        return opening + "".join(self.seed(1)) + done + r.choice(vocab.REPLY_CLOSINGS)

    def opinion(self, place: str) -> Doc:
        r = self.rng
        category, topic = r.choice(self.topics)
        problem = r.choice(vocab.PROBLEMS)
        pattern = r.randrange(3)
        if pattern == 0:
            title = f"关于{place}{topic}{problem}的情况反映"
        elif pattern == 1:
            title = f"{place}{topic}存在{problem}问题亟待重视"
        else:
            title = f"建议{r.choice(vocab.ACTIONS)}{topic}{r.choice(vocab.ASPECTS)}"
        situation = r.choice(vocab.OPINION_OPENINGS).format(place=place, topic=topic) + "".join(
            self.seed(r.randint(1, 2))
        )
        analysis = f"主要表现为{topic}{problem}。" + "".join(self.seed(1))
        suggestions = self._points(
            [f"{r.choice(vocab.ACTIONS)}{topic}{m}" for m in r.sample(vocab.MEASURES, 2)]
        )
        return Doc(title[:60], category, topic, situation, analysis, suggestions)

    def sentence(self) -> str:
        return self.rng.choice(self.seeds) + "。"
