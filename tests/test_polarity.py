"""Polarity and certainty read from the parse (checker/polarity.py): which verbs a sentence asserts,
negated, hedged or in the future, with their arguments; and when two predicates are the same."""

from __future__ import annotations

import pytest

from checker.frames import parse
from checker.polarity import Predicate, arguments_fit, read_predicates, stated_value

pytestmark = pytest.mark.model

# (id, sentence, verb lemma, span, what the reading says)
READINGS = [
    ("plain", "The two governments signed the accord.", "sign", "signed", "asserted"),
    ("did-not", "The two governments did not sign the accord.", "sign", "did not sign", "negation: did not"),
    ("contraction", "Lawmakers haven't passed the bill.", "approve", "haven't passed", "negation: haven't"),
    ("never", "The council never approved the plan.", "approve", "never approved", "negation: never"),
    ("no-longer", "Brandt no longer supports the plan.", "support", "no longer supports", "negation: no longer"),
    ("yet-to", "The ministers have yet to agree.", "agree", "have yet to agree", "negation: have yet to"),
    ("refused-to", "Kestria refused to sign the accord.", "sign", "refused to sign", "negation: refused to"),
    ("could-not", "The two sides could not agree.", "agree", "could not agree", "negation: could not"),
    ("no-object", "No agreement was reached on quotas.", "reach", "No agreement was reached", "negation: No"),
    ("in-principle", "They agreed in principle to a truce.", "agree", "agreed in principle", "hedge: in principle"),
    ("expected-to", "The council is expected to approve it.", "approve", "is expected to approve", "hedge: is expected to"),
    ("likely-to", "The council is likely to approve it.", "approve", "is likely to approve", "hedge: is likely to"),
    ("may-have", "The council may have approved the plan.", "approve", "may have approved", "hedge: may"),
    ("reportedly", "The ministers reportedly reached a deal.", "reach", "reportedly reached", "hedge: reportedly"),
    ("will", "The bridge will open in May.", "open", "will open", "future"),
    ("will-not", "Kestria will not sign the accord.", "sign", "will not sign", "future, negation: will not"),
    ("set-to", "Kestria is set to sign the accord.", "sign", "is set to sign", "future"),
    ("headline-to", "Kestria to sign fisheries accord", "sign", "to sign", "future"),
    ("reported-clause", "Officials said the council approved the plan.", "approve", "approved", "asserted"),
    ("agree-to", "The leaders agreed to meet again.", "agree", "agreed to meet again", "asserted"),
    ("synonym-set-up", "The two sides agreed to set up a commission.", "agree", "agreed to set up", "asserted"),
]


def read(sentence: str) -> list[Predicate]:
    return read_predicates(next(parse([sentence])))


def find(predicates: list[Predicate], lemma: str) -> Predicate:
    (predicate,) = [predicate for predicate in predicates if predicate.lemma == lemma]
    return predicate


def describe(predicate: Predicate) -> str:
    parts = [
        *(["future"] if predicate.future else []),
        *([f"negation: {predicate.negation}"] if predicate.negation else []),
        *([f"hedge: {predicate.hedge}"] if predicate.hedge else []),
    ]
    return ", ".join(parts) or "asserted"


@pytest.mark.parametrize(
    ("sentence", "lemma", "span", "reading"), [case[1:] for case in READINGS], ids=[case[0] for case in READINGS]
)
def test_reading(sentence: str, lemma: str, span: str, reading: str) -> None:
    predicate = find(read(sentence), lemma)
    assert sentence[predicate.start : predicate.end] == span == predicate.words
    assert describe(predicate) == reading


NOT_CLAIMS = [
    ("question", "Did the council approve the plan?", "approve"),
    ("whether", "Officials did not say whether the ministers agreed.", "agree"),
    ("condition", "If the governments do not sign the accord, talks will collapse.", "sign"),
    ("negated-attribution", "Officials did not confirm that the council approved the plan.", "approve"),
    ("wish", "Brandt wants to sign the accord.", "sign"),
    ("obligation", "The council must approve the plan.", "approve"),
    ("counterfactual", "The council would have approved the plan.", "approve"),
    ("conditional-future", "Kestria would sign the accord if Veloria agreed.", "sign"),
    ("not-until", "They did not meet until Friday.", "meet"),
    ("hedged-negation", "The council may not approve the plan.", "approve"),
    ("negated-hedge", "Kestria is not expected to sign the accord.", "sign"),
]


@pytest.mark.parametrize(("sentence", "lemma"), [case[1:] for case in NOT_CLAIMS], ids=[case[0] for case in NOT_CLAIMS])
def test_not_a_claim(sentence: str, lemma: str) -> None:
    assert lemma not in [predicate.lemma for predicate in read(sentence)]


def test_not_only_is_no_negation() -> None:
    predicate = find(read("The deal not only cut tariffs but also opened ports."), "cut")
    assert predicate.negation is None


def test_or_carries_the_negation_and_does_not() -> None:
    assert find(read("Varsk did not sign or ratify the treaty."), "ratify").negation == "did not"
    assert find(read("Varsk did not sign the treaty and left the talks."), "leave").negation is None


def test_arguments() -> None:
    predicate = find(read("The accord is expected to be signed by both governments."), "sign")
    assert [argument.lemma for argument in predicate.subjects] == ["side"]
    assert [argument.lemma for argument in predicate.objects] == ["deal"]
    assert predicate.statement == "the accord is expected to be signed by both governments"


# (id, sentence a, sentence b, lemma, fits)
FITS = [
    ("same-everything", "The governments signed the accord.", "The governments did not sign the accord.", "sign", True),
    ("synonym-nouns", "Kestria signed the agreement.", "Kestria did not sign the pact.", "sign", True),
    ("name-alias", "Ilse Brandt signed the accord.", "Brandt did not sign the accord.", "sign", True),
    ("pronoun-with-object", "They signed the accord.", "Kestria did not sign the accord.", "sign", True),
    ("other-subject", "The Senate passed the bill.", "The House did not pass the bill.", "approve", False),
    ("other-name", "Ilse Brandt signed the accord.", "Tomas Lind did not sign the accord.", "sign", False),
    ("other-accord", "Kestria signed the fisheries accord.", "Kestria did not sign the ferry accord.", "sign", False),
    ("other-topic", "The firm responded to the report.", "The firm did not respond to calls for comment.", "respond", False),
    ("only-a-pronoun", "He signed it.", "They did not sign it.", "sign", False),
    ("light-verb-other-object", "Democrats have the votes.", "Democrats do not have a plan.", "have", False),
    ("met-with-is-met", "Ortiz met with Brandt.", "Brandt did not meet Ortiz.", "meet", True),
    ("met-someone-else", "Ortiz met with officials.", "Ortiz did not meet Brandt.", "meet", False),
    ("agreed-to-what", "The leaders agreed to meet again.", "The leaders did not agree to build dams.", "agree", False),
]


@pytest.mark.parametrize(("a", "b", "lemma", "fits"), [case[1:] for case in FITS], ids=[case[0] for case in FITS])
def test_arguments_fit(a: str, b: str, lemma: str, fits: bool) -> None:
    assert arguments_fit(find(read(a), lemma), find(read(b), lemma)).fits is fits


@pytest.mark.parametrize(
    ("a", "b", "value_a", "value_b"),
    [
        ("The governments signed the accord.", "The governments did not sign the accord.", "signed", "not signed"),
        ("The leaders agreed to meet.", "The leaders did not agree to meet.", "agreed to meet", "not agreed to meet"),
        ("Officials confirmed the bridge will open.", "The bridge could open.", "will open (confirmed)", "could open"),
    ],
)
def test_stated_value(a: str, b: str, value_a: str, value_b: str) -> None:
    (left,), (right,) = read(a), read(b)
    assert (stated_value(left, right), stated_value(right, left)) == (value_a, value_b)
