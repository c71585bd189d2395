"""Per-profile facts derived from a normalised profile: career years, aims, text, seniority.

These are the facts both the features (:mod:`matching.features`) and the reasons
(:mod:`matching.reasons`) are built from, so a reason always says what the score saw.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from matching.profiles import month_index, tz_offset_halfhours
from matching.vocab import (
    ASPIRATION_WORDS,
    FUNCTIONS,
    INDUSTRIES,
    LEAD_WORDS,
    SENIORITY_WORDS,
    TOPIC_FUNCTIONS,
    TRAITS,
)

# Weights of the sources of a mentee's aims (normalised per profile afterwards).
AIM_ABOUT = 1.0  # "I want to grow into healthcare PMO work"
AIM_ABOUT_MENTION = 0.25  # named in about without an aspiration word
AIM_CURRENT = 0.6  # the field of the current position, when about names no other aim
AIM_CURRENT_WHEN_CHANGING = 0.15  # the same when about names another aim
AIM_PAST = 0.1
UNKNOWN_DURATION_YEARS = 1.0


_WORD = re.compile(r"\w+")
_WORD_OR_STOP = re.compile(r"\w+|[.!?;\n]")  # words, and the marks that end a sentence
_SENTENCE_END = frozenset(".!?;\n")
_NOT_AN_AIM_AFTER = frozenset({"from", "leaving", "left", "quit", "quitting"})
_STOP = ENGLISH_STOP_WORDS
_CACHE_LIMIT = 200_000  # entries per string cache before it is cleared


def words(text: str) -> list[str]:
    """Lower-case word tokens (the one tokenizer behind keywords and text features)."""
    return _WORD.findall(text.lower())


def doc_tokens(text: str) -> list[str]:
    """Tokens of ``text`` kept for TF-IDF: two characters or more, not an English stop word."""
    return [w for w in _WORD.findall(text.lower()) if len(w) > 1 and w not in _STOP]


class Phrases:
    """A table of keyword phrases matched on word tokens, longest phrase first.

    Matching walks the tokens once with one dictionary lookup per token (phrases are indexed by
    their first word), which is what makes featurising 100,000 profiles affordable. A phrase
    may carry several values (a word can name an industry and a function).
    """

    def __init__(self, mapping: Mapping[str, str | tuple[str, ...]]) -> None:
        self.exact: dict[str, tuple[str, ...]] = {}
        first: dict[str, dict[tuple[str, ...], tuple[str, ...]]] = {}
        for phrase, value in mapping.items():
            tokens = tuple(words(phrase))
            if not tokens:
                continue
            values = (value,) if isinstance(value, str) else value
            joined = " ".join(tokens)
            self.exact[joined] = tuple(dict.fromkeys((*self.exact.get(joined, ()), *values)))
            bucket = first.setdefault(tokens[0], {})
            bucket[tokens] = tuple(dict.fromkeys((*bucket.get(tokens, ()), *values)))
        self.first = {
            w: sorted(c.items(), key=lambda item: -len(item[0])) for w, c in first.items()
        }

    def find(self, tokens: Sequence[str]) -> list[tuple[int, tuple[str, ...]]]:
        """(position, values) of every non-overlapping phrase in ``tokens``, left to right."""
        out: list[tuple[int, tuple[str, ...]]] = []
        i, n = 0, len(tokens)
        first = self.first
        while i < n:
            candidates = first.get(tokens[i])
            step = 1
            if candidates is not None:
                for seq, values in candidates:
                    size = len(seq)
                    if size == 1 or tuple(tokens[i : i + size]) == seq:
                        out.append((i, values))
                        step = size
                        break
            i += step
        return out


class Matchers:
    """Keyword tables and string caches (picklable; the caches are not pickled)."""

    def __init__(self, extra_industries: Iterable[str] = ()) -> None:
        industry_of: dict[str, str] = {}
        for key, (_, words_) in INDUSTRIES.items():
            for word in words_:
                industry_of.setdefault(word, key)
        for key in INDUSTRIES:
            industry_of.setdefault(key.replace("_", " "), key)
        for label in extra_industries:
            industry_of.setdefault(label.replace("_", " "), label)
        function_of = {word: key for key, (_, _, words_) in FUNCTIONS.items() for word in words_}
        self.industries = Phrases(industry_of)
        self.functions = Phrases(function_of)
        self.lead = Phrases(dict.fromkeys(LEAD_WORDS, "lead"))
        self.seniority = tuple(
            (lvl, Phrases(dict.fromkeys(ws, "x"))) for lvl, ws in SENIORITY_WORDS
        )
        # One table for the about text: industries, functions and aspiration words at once.
        about: dict[str, tuple[str, ...]] = {}
        for word, key in industry_of.items():
            about[word] = (*about.get(word, ()), "i:" + key)
        for word, key in function_of.items():
            about[word] = (*about.get(word, ()), "f:" + key)
        for word in ASPIRATION_WORDS:
            about[word] = (*about.get(word, ()), "aim")
        self.about = Phrases(about)
        self._clear()

    def _clear(self) -> None:
        self._industry_cache: dict[str, str | None] = {}
        self._title_cache: dict[str, tuple[list[str], tuple[str, ...], bool, list[str]]] = {}
        self._tokens_cache: dict[str, list[str]] = {}

    def __getstate__(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if not k.endswith("_cache")}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._clear()

    @classmethod
    def build(cls, extra_industries: Iterable[str] = ()) -> Matchers:
        return cls(extra_industries)

    def industry(self, raw: str) -> str | None:
        """Canonical industry of a position's industry field (its own label when unknown)."""
        cache = self._industry_cache
        if raw in cache:
            return cache[raw]
        tokens = words(raw)
        label: str | None = None
        if tokens:
            known = self.industries.exact.get(" ".join(tokens))
            if known is not None:
                label = known[0]
            else:
                found = self.industries.find(tokens)
                label = found[0][1][0] if found else normal_label(raw)
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        cache[raw] = label
        return label

    def title(self, raw: str) -> tuple[list[str], tuple[str, ...], bool, list[str]]:
        """(text tokens, functions, leads, words) of a job title."""
        cache = self._title_cache
        found = cache.get(raw)
        if found is None:
            tokens = words(raw)
            functions = tuple(dict.fromkeys(v for _, vs in self.functions.find(tokens) for v in vs))
            leads = bool(functions) and bool(self.lead.find(tokens))
            doc = [w for w in tokens if len(w) > 1 and w not in _STOP]
            found = (doc, functions, leads, tokens)
            if len(cache) > _CACHE_LIMIT:
                cache.clear()
            cache[raw] = found
        return found

    def tokens(self, raw: str) -> list[str]:
        """Text tokens of a short repeated string (a skill, a certification)."""
        cache = self._tokens_cache
        found = cache.get(raw)
        if found is None:
            found = doc_tokens(raw)
            if len(cache) > _CACHE_LIMIT:
                cache.clear()
            cache[raw] = found
        return found

    def functions_of(self, title_tokens: Sequence[str]) -> list[str]:
        return list(dict.fromkeys(v for _, vs in self.functions.find(title_tokens) for v in vs))


def normal_label(text: str) -> str:
    return re.sub(r"[^\w]+", "_", text.lower()).strip("_")


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ is 3x slower
class Derived:
    """What the engine knows about one person on a given date (treat as read-only).

    Years are summed over positions (overlapping positions count twice: rare and harmless).
    ``*_aims`` are normalised weights (sum 1, or empty) of what a mentee says they aim for, with
    ``*_aim_source`` the strongest source of each: "about", "topic:<topic>", "current" or "past".
    """

    industry_years: dict[str, float]
    function_years: dict[str, float]
    led_years: dict[str, float]
    current_industries: frozenset[str]
    current_functions: frozenset[str]
    organisations: frozenset[str]
    industry_aims: dict[str, float]
    industry_aim_source: dict[str, str]
    function_aims: dict[str, float]
    function_aim_source: dict[str, str]
    total_years: float
    seniority: int | None
    tokens: tuple[str, ...]
    personality: tuple[float, ...] | None
    tz_halfhours: int | None


_MONTHS: dict[str, int] = {}


def _month(value: str) -> int:
    index = _MONTHS.get(value)
    if index is None:
        index = month_index(value)
        if len(_MONTHS) < 10_000:
            _MONTHS[value] = index
    return index


def _years(start: str | None, end: str | None, as_of_month: int) -> float:
    if start is None:
        return UNKNOWN_DURATION_YEARS
    stop = as_of_month if end is None else min(_month(end), as_of_month)
    return max(0.0, (stop - _month(start) + 1) / 12.0)


def _scan_about(tokens: Sequence[str], m: Matchers) -> tuple[dict[str, float], dict[str, float]]:
    """Industries and functions named in ``about`` with their aim weights.

    A mention is an aim when an aspiration word came earlier in the same sentence, a plain
    mention otherwise, and nothing right after "from" ("move from retail into healthcare").
    """
    industries: dict[str, float] = {}
    functions: dict[str, float] = {}
    cue = False
    first = m.about.first
    i, n = 0, len(tokens)
    while i < n:
        token = tokens[i]
        if token in _SENTENCE_END:
            cue = False
            i += 1
            continue
        candidates = first.get(token)
        if candidates is None:
            i += 1
            continue
        step = 1
        for seq, values in candidates:
            size = len(seq)
            if size == 1 or tuple(tokens[i : i + size]) == seq:
                step = size
                before = tokens[i - 1] if i > 0 else ""
                if before == "the" and i > 1:
                    before = tokens[i - 2]
                if before in _NOT_AN_AIM_AFTER or (
                    before == "of" and i > 1 and tokens[i - 2] == "out"
                ):
                    weight = 0.0
                else:
                    weight = AIM_ABOUT if cue else AIM_ABOUT_MENTION
                for value in values:
                    if value == "aim":
                        cue = True
                    elif value[0] == "i":
                        key = value[2:]
                        if weight > industries.get(key, -1.0):
                            industries[key] = weight
                    else:
                        key = value[2:]
                        if weight > functions.get(key, -1.0):
                            functions[key] = weight
                break
        i += step
    return industries, functions


def _add(
    weights: dict[str, float], sources: dict[str, tuple[str, float]], key: str, w: float, src: str
) -> None:
    """Accumulate an aim; its source is the strongest single mention."""
    if w <= 0.0:
        return
    if w > sources.get(key, ("", 0.0))[1]:
        sources[key] = (src, w)
    weights[key] = weights.get(key, 0.0) + w


def _normalised(weights: dict[str, float]) -> dict[str, float]:
    total = sum(weights.values())
    return {k: v / total for k, v in weights.items() if v > 0.0} if total > 0 else {}


def infer_seniority(titles: list[list[str]], total_years: float, m: Matchers) -> int | None:
    """Seniority from the latest title's words, else from years of experience."""
    if titles:
        for level, table in m.seniority:
            if table.find(titles[0]):
                return level
    if total_years <= 0.0:
        return None
    for level, limit in ((1, 2.0), (2, 5.0), (3, 10.0), (4, 16.0)):
        if total_years < limit:
            return level
    return 5


def _aims(
    about: dict[str, float],
    current: set[str],
    past: set[str],
    extra: Iterable[tuple[str, float, str]],
    current_weight: float,
) -> tuple[dict[str, float], dict[str, str]]:
    weights: dict[str, float] = {}
    sources: dict[str, tuple[str, float]] = {}
    for key, w in about.items():
        _add(weights, sources, key, w, "about")
    for key, w, src in extra:
        _add(weights, sources, key, w, src)
    changing = any(w >= AIM_ABOUT and k not in current for k, w in about.items())
    cur_w = (AIM_CURRENT_WHEN_CHANGING if changing else AIM_CURRENT) * current_weight
    for key in current:
        _add(weights, sources, key, cur_w, "current")
    for key in past - current:
        _add(weights, sources, key, AIM_PAST, "past")
    return _normalised(weights), {k: v[0] for k, v in sources.items()}


def derive(profile: Mapping[str, object], *, as_of: dt.date, matchers: Matchers) -> Derived:
    """Derive the facts of one normalised profile (see :func:`matching.validate_profile`)."""
    as_of_month = as_of.year * 12 + as_of.month - 1
    positions: list[dict[str, str | None]] = profile["positions"]  # type: ignore[assignment]
    if len(positions) > 1:  # latest first; unknown starts last
        positions = sorted(positions, key=lambda p: p["start"] or "", reverse=True)
    industry_years: dict[str, float] = {}
    function_years: dict[str, float] = {}
    led: dict[str, float] = {}
    current_ind: set[str] = set()
    current_fn: set[str] = set()
    past_ind: set[str] = set()
    past_fn: set[str] = set()
    orgs: set[str] = set()
    tokens: list[str] = []
    titles: list[list[str]] = []
    total = 0.0
    for p in positions:
        doc, functions, leads, title_words = matchers.title(p["title"] or "")
        end = p["end"]
        years = _years(p["start"], end, as_of_month)
        total += years
        current = end is None or _month(end) >= as_of_month
        industry = matchers.industry(p["industry"] or "")
        if industry is not None:
            industry_years[industry] = industry_years.get(industry, 0.0) + years
            (current_ind if current else past_ind).add(industry)
        for fn in functions:
            function_years[fn] = function_years.get(fn, 0.0) + years
            (current_fn if current else past_fn).add(fn)
            if leads:
                led[fn] = led.get(fn, 0.0) + years
        if p["organisation"]:
            orgs.add(str(p["organisation"]).lower())
        titles.append(title_words)
        tokens += doc
        if p["summary"]:
            tokens += doc_tokens(p["summary"])
    skills: list[str] = profile["skills"]  # type: ignore[assignment]
    certs: list[str] = profile["certifications"]  # type: ignore[assignment]
    topics: list[str] = profile["topics"]  # type: ignore[assignment]
    for item in skills:
        tokens += matchers.tokens(item)
    for item in certs:
        tokens += matchers.tokens(item)
    about_tokens = _WORD_OR_STOP.findall(str(profile["about"]).lower())
    tokens += [w for w in about_tokens if len(w) > 1 and w not in _STOP]
    about_ind, about_fn = _scan_about(about_tokens, matchers)

    industry_aims, industry_src = _aims(
        about_ind, current_ind, past_ind, (), 1.5 if "industry_knowledge" in topics else 1.0
    )
    topic_aims = []
    for topic in topics:
        aim = TOPIC_FUNCTIONS.get(topic)
        if aim is not None:
            topic_aims.append((aim[0], aim[1], f"topic:{topic}"))
    function_aims, function_src = _aims(about_fn, current_fn, past_fn, topic_aims, 1.0)

    seniority = profile["seniority"]
    if seniority is None:
        seniority = infer_seniority(titles, total, matchers)
    personality: Mapping[str, float] | None = profile["personality"]  # type: ignore[assignment]
    timezone = profile["timezone"]
    return Derived(
        industry_years=industry_years,
        function_years=function_years,
        led_years=led,
        current_industries=frozenset(current_ind),
        current_functions=frozenset(current_fn),
        organisations=frozenset(orgs),
        industry_aims=industry_aims,
        industry_aim_source=industry_src,
        function_aims=function_aims,
        function_aim_source=function_src,
        total_years=total,
        seniority=seniority,  # type: ignore[arg-type]
        tokens=tuple(tokens),
        personality=None if personality is None else tuple(personality[t] for t in TRAITS),
        tz_halfhours=None if timezone is None else tz_offset_halfhours(str(timezone), as_of),
    )
