"""Faster runs of the spaCy pipeline with the same parses: each change here only replaces how a
component computes what it always computed, and tests/test_parse_speed.py holds them to that."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

# Token attributes the attribute ruler's simple rules test, read as spaCy's Matcher reads them.
_READERS: dict[str, Callable[[Token], Any]] = {
    "TAG": lambda token: token.tag_,
    "LOWER": lambda token: token.lower_,
    "DEP": lambda token: token.dep_,
    "IS_SPACE": lambda token: token.is_space,
}
# Attributes a rule can be looked up by, most selective first.
_INDEXED = ("TAG", "LOWER", "DEP")

# One test of a token: the attribute, how it is tested ("in", "not in", "regex") and against what.
Test = tuple[str, str, Any]
Match = tuple[int, int, int, int]


def speed_up(nlp: Language) -> None:
    _multiply_with_numpy(nlp)
    _index_lemmas_as_sets(nlp)
    _index_attribute_rules(nlp)


def _multiply_with_numpy(nlp: Language) -> None:
    """The pipeline's matrix products go through numpy's BLAS instead of the BLIS build thinc ships,
    which here ran its generic kernel three times slower."""
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is not None:
            for node in model.walk():
                node.ops = ops


def _index_lemmas_as_sets(nlp: Language) -> None:
    """spaCy's rule lemmatizer looks each candidate lemma up in a list of up to 58,000 words, which
    cost a fifth of the parse of a new text; in sets the lookups take constant time."""
    if "lemmatizer" not in nlp.pipe_names:
        return
    index = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index", {})
    for part_of_speech in list(index):
        index[part_of_speech] = frozenset(index[part_of_speech])


def _index_attribute_rules(nlp: Language) -> None:
    """The attribute ruler tries each of its 179 rules at every token through spaCy's Matcher, which
    cost a quarter of the parse. Each rule tests a token or two against fixed values of their tag,
    form or dependency, so the rules a token meets can be looked up by its values, once per distinct
    word: news repeats its words. The matches, and so the attributes set, are the same. A pipeline
    with a rule of another shape keeps the Matcher."""
    if "attribute_ruler" not in nlp.pipe_names:
        return
    ruler = nlp.get_pipe("attribute_ruler")
    # A rule's patterns are alternatives: each is a rule of its own here, under the rule's id.
    rules: list[_Rule] = []
    for rule_id, rule in enumerate(ruler.patterns):
        for pattern in rule["patterns"]:
            specs = [_token_tests(spec) for spec in pattern]
            if any(tests is None for tests in specs):
                return
            rules.append(_Rule(len(rules), rule_id, nlp.vocab.strings.add(str(rule_id)), specs))

    # Each rule's token tests, filed under a value the token must have when there is one.
    filed: dict[tuple[str, Any], list[_Position]] = {}
    unfiled: list[_Position] = []
    for rule in rules:
        for position, tests in enumerate(rule.specs):
            entry = _Position(rule, position)
            required = next(((name, values) for name, how, values in tests if how == "in" and name in _INDEXED), None)
            if required is None:
                unfiled.append(entry)
            for value in required[1] if required else ():
                filed.setdefault((required[0], value), []).append(entry)

    @lru_cache(maxsize=65_536)
    def positions_met(values: tuple[Any, ...]) -> frozenset[tuple[int, int]]:
        """(rule, position) pairs a token with these values meets, rules numbered as listed."""
        by_name = dict(zip(_READERS, values))
        candidates = [entry for name in _INDEXED for entry in filed.get((name, by_name[name]), ())]
        return frozenset(
            (entry.rule.number, entry.position)
            for entry in [*candidates, *unfiled]
            if all(_passes(by_name[name], how, values) for name, how, values in entry.rule.specs[entry.position])
        )

    def match(doc: Doc) -> list[Match]:
        met = [positions_met(tuple(read(token) for read in _READERS.values())) for token in doc]
        matches = []
        for start, pairs in enumerate(met):
            for number, position in pairs:
                rule = rules[number]
                end = start + len(rule.specs)
                if position == 0 and end <= len(doc) and all((number, p) in met[start + p] for p in range(1, len(rule.specs))):
                    matches.append((rule.rule_id, rule.key, start, end))
        return sorted(matches)

    ruler.match = match


class _Rule(NamedTuple):
    number: int
    rule_id: int
    key: int
    specs: list[list[Test]]


class _Position(NamedTuple):
    rule: _Rule
    position: int


def _token_tests(spec: dict[str, Any]) -> list[Test] | None:
    """One token's tests, when each compares an attribute read above with fixed values or a pattern."""
    tests: list[Test] = []
    for name, condition in spec.items():
        if name not in _READERS:
            return None
        if not isinstance(condition, dict):
            tests.append((name, "in", frozenset([condition])))
        elif condition.keys() == {"IN"}:
            tests.append((name, "in", frozenset(condition["IN"])))
        elif condition.keys() == {"NOT_IN"}:
            tests.append((name, "not in", frozenset(condition["NOT_IN"])))
        elif condition.keys() == {"REGEX"}:
            tests.append((name, "regex", re.compile(condition["REGEX"])))
        else:
            return None
    return tests


def _passes(value: Any, how: str, expected: Any) -> bool:
    if how == "regex":
        # As the Matcher: a search anywhere in the attribute's text.
        return bool(expected.search(value))
    return (value in expected) == (how == "in")
