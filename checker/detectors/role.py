"""Roles: one office given to two people, or one person given two titles, in two documents.

Offices change hands and people change jobs, so what two documents disagree on is only a
contradiction when both are dated the same day: documents of different dates, or without a date,
get a warning that the role may have changed, with both dates in the summary.

Precision comes first:
- only single-holder offices are compared across people (a country has one foreign minister,
  but many senators and deputy ministers), and only within one jurisdiction: "Russian Foreign
  Minister Sergey Lavrov" is no rival of "Chinese Foreign Minister Wang Yi";
- an office named without its country ("Foreign Minister Qin Gang") takes the country the
  document gives the same person elsewhere, or the one nationality the documents give them;
  failing both, it is compared only with a holder that the same document also names without the
  title (it names Wang Yi, but calls Qin Gang the foreign minister), never with one it calls
  someone's counterpart or gives the office too, and only when it gives the office to no one else;
- descriptions ("China's top diplomat", "his counterpart") are aliases, not titles; seats held
  alongside any office (senator), titles no longer held ("former", "then-") and titles commonly
  held together (president and general secretary) are never a discrepancy.

Agreements (``info``) are reported only for a role disputed somewhere in the documents: they show
which version most outlets carry and support a draft that carries it, without listing every
outlet that calls Blinken secretary of state.

The detector reads whole documents, not aligned sentence pairs: a title holds for the document,
whatever event the sentence is about, so the sentence-level event gate does not apply.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from itertools import combinations, product

from pydantic import Field

from checker.detectors.base import ComparisonContext, Detector, make_finding, register
from checker.entities import DocumentEntities, TitleMention, document_entities, lexicon, office_named, same_person
from checker.models import Evidence, Finding, Frozen, Sentence, Severity

# Surname → (full name, country) of each person the documents tie to exactly one country.
Nationalities = dict[str, list[tuple[str, str]]]

EXPLICIT_SCORE = 0.9
INFERRED_SCORE = 0.6
TITLE_SCORE = 0.8


class OfficeClaim(Frozen):
    """A document gives a single-holder office to a person, in a jurisdiction when one is known."""

    mention: TitleMention
    office: str
    jurisdiction: str | None
    how: str | None = None


class HolderClash(Frozen):
    """Two documents give one office to two different people."""

    x: OfficeClaim
    y: OfficeClaim
    jurisdiction: str | None
    reasons: list[str]


class TitlePair(Frozen):
    """The titles two documents give one person: clashing, or agreeing."""

    x: TitleMention
    y: TitleMention
    label_x: str
    label_y: str


class TitledPerson(Frozen):
    """A person and the titles one document gives them."""

    doc_id: str
    person: str
    titles: list[TitleMention]


class Corpus(Frozen):
    """Every document's people and office claims, and each person's one known country."""

    documents: dict[str, DocumentEntities]
    claims: dict[str, list[OfficeClaim]]
    nationalities: Nationalities = Field(description="surname → (full name, country)")


@register
class RoleDetector(Detector):
    kind = "role"
    description = "one office given to different people, or one person given different titles, across documents"

    def detect(self, context: ComparisonContext) -> list[Finding]:
        corpus = read_corpus(context)
        holder_clashes = office_clashes(corpus)
        title_clashes = title_clashes_of(corpus)
        disputed_offices = {(clash.x.office, clash.jurisdiction) for clash in holder_clashes}
        disputed_people = [clash.x.person for clash in title_clashes]
        return [
            *(holder_finding(context, clash) for clash in holder_clashes),
            *(title_finding(context, clash) for clash in title_clashes),
            *(holder_agreement_finding(context, x, y) for x, y in office_agreements(corpus, disputed_offices)),
            *(
                title_agreement_finding(context, agreement)
                for agreement in title_agreements_of(corpus, disputed_people)
            ),
        ]


def read_corpus(context: ComparisonContext) -> Corpus:
    def is_person(sentence: Sentence, start: int, end: int) -> bool:
        return any(
            ent.label_ == "PERSON" and ent.start_char < end and start < ent.end_char
            for ent in context.parsed(sentence).ents
        )

    documents = {
        doc_id: document_entities(doc_id, sentences, is_person)
        for doc_id, sentences in sorted(context.sentences.items())
    }
    nationalities = corpus_nationalities(list(documents.values()))
    claims = {doc_id: office_claims(document, nationalities) for doc_id, document in documents.items()}
    return Corpus(documents=documents, claims=claims, nationalities=nationalities)


# --------------------------------------------------------------------------- who holds an office


def corpus_nationalities(documents: list[DocumentEntities]) -> Nationalities:
    """Each person's country when the documents tie them to exactly one, filed by surname."""
    countries: dict[str, dict[str, set[str]]] = defaultdict(dict)
    for document in documents:
        for person in document.people:
            namesakes = countries[surname(person.name)]
            key = next((name for name in namesakes if same_person(name, person.name)), person.name)
            namesakes.setdefault(key, set()).update(person.countries)
    return {
        name: [(full, next(iter(found))) for full, found in namesakes.items() if len(found) == 1]
        for name, namesakes in countries.items()
    }


def nationality_of(person: str, nationalities: Nationalities) -> str | None:
    namesakes = nationalities.get(surname(person), [])
    return next((country for name, country in namesakes if same_person(name, person)), None)


def surname(name: str) -> str:
    """The word people are filed under; a typo in it ('Bidens') files them apart, which only costs a comparison."""
    return name.split()[-1].lower()


def office_claims(document: DocumentEntities, nationalities: Nationalities) -> list[OfficeClaim]:
    """The first mention of each (office, person) in the document, its jurisdiction resolved."""
    claims: list[OfficeClaim] = []
    for mention in document.mentions:
        if mention.office is None or (mention.qualifier is not None and mention.qualifier.key is None):
            continue
        if any(claim.office == mention.office and same_person(claim.mention.person, mention.person) for claim in claims):
            continue  # the first mention of an office holder speaks for the document
        claims.append(_claim(mention, document, nationalities))
    return claims


def _claim(mention: TitleMention, document: DocumentEntities, nationalities: Nationalities) -> OfficeClaim:
    office = mention.office or ""
    if mention.qualifier is not None:
        return OfficeClaim(mention=mention, office=office, jurisdiction=mention.qualifier.key)
    elsewhere = next(
        (
            other.qualifier
            for other in document.titles_of(mention.person)
            if other.office == office and other.qualifier is not None and other.qualifier.key
        ),
        None,
    )
    if elsewhere is not None:
        how = f"{document.doc_id} calls {mention.person} '{elsewhere.text} {mention.title_text}' elsewhere"
        return OfficeClaim(mention=mention, office=office, jurisdiction=elsewhere.key, how=how)
    nationality = _national_office_country(mention, nationalities)
    if nationality is not None:
        how = f"{mention.person} is tied to {place_label(nationality)} in these documents"
        return OfficeClaim(mention=mention, office=office, jurisdiction=nationality, how=how)
    return OfficeClaim(mention=mention, office=office, jurisdiction=None)


def _national_office_country(mention: TitleMention, nationalities: Nationalities) -> str | None:
    """The person's country, for an office a country has (not a city's or a company's)."""
    office = office_named(mention.office) if mention.office else None
    if office is None or office.scope != "country":
        return None
    return nationality_of(mention.person, nationalities)


def _claims_by_office(corpus: Corpus) -> dict[str, list[OfficeClaim]]:
    """Claims grouped by office, in document order: only documents sharing an office are paired."""
    by_office: dict[str, list[OfficeClaim]] = defaultdict(list)
    for doc_id in sorted(corpus.claims):
        for claim in corpus.claims[doc_id]:
            by_office[claim.office].append(claim)
    return by_office


def office_clashes(corpus: Corpus) -> list[HolderClash]:
    """Per pair of documents, one clash per office and jurisdiction they give to different people
    (the first mentions in each). Claims are grouped by holder first, so a large corpus that agrees
    costs one comparison per pair of holders, not per pair of documents."""
    candidates: list[tuple[OfficeClaim, OfficeClaim]] = []
    for claims in _claims_by_office(corpus).values():
        holders: dict[str, list[OfficeClaim]] = defaultdict(list)
        for claim in claims:
            holders[claim.mention.person].append(claim)
        for person_a, person_b in combinations(holders, 2):
            if not same_person(person_a, person_b):
                candidates += [_in_document_order(pair) for pair in product(holders[person_a], holders[person_b])]
    clashes: dict[tuple[str, str, str, str | None], HolderClash] = {}
    for claim_x, claim_y in sorted(candidates, key=_pair_order):
        x, y = claim_x.mention.doc_id, claim_y.mention.doc_id
        key = (x, y, claim_x.office, claim_x.jurisdiction or claim_y.jurisdiction)
        if x == y or key in clashes:
            continue
        reasons = comparable(corpus, claim_x, claim_y)
        if reasons is not None:
            clashes[key] = HolderClash(x=claim_x, y=claim_y, jurisdiction=key[3], reasons=reasons)
    return list(clashes.values())


def _in_document_order(pair: tuple[OfficeClaim, OfficeClaim]) -> tuple[OfficeClaim, OfficeClaim]:
    first, second = pair
    return (second, first) if second.mention.doc_id < first.mention.doc_id else pair


def _pair_order(pair: tuple[OfficeClaim, OfficeClaim]) -> tuple[str, str, int, int, int, int]:
    x, y = pair[0].mention, pair[1].mention
    return x.doc_id, y.doc_id, x.sentence_index, x.start, y.sentence_index, y.start


def office_agreements(corpus: Corpus, disputed: set[tuple[str, str | None]]) -> list[tuple[OfficeClaim, OfficeClaim]]:
    """For a disputed office, each document that gives it to the same person as an earlier document,
    paired with the nearest such document: every statement is corroborated once, in linear number."""
    agreements = []
    for claims in _claims_by_office(corpus).values():
        held = [claim for claim in claims if (claim.office, claim.jurisdiction) in disputed]
        for index, claim in enumerate(held):
            earlier = next(
                (
                    other
                    for other in reversed(held[:index])
                    if other.mention.doc_id != claim.mention.doc_id
                    and other.jurisdiction == claim.jurisdiction
                    and same_person(other.mention.person, claim.mention.person)
                ),
                None,
            )
            if earlier is not None:
                agreements.append((earlier, claim))
    return agreements


def comparable(corpus: Corpus, claim_x: OfficeClaim, claim_y: OfficeClaim) -> list[str] | None:
    """Why two holders of an office hold the same office, or None when they may not."""
    office = office_named(claim_x.office)
    claims_x, claims_y = corpus.claims[claim_x.mention.doc_id], corpus.claims[claim_y.mention.doc_id]
    # A document naming both people as holders records a hand-over, not a disagreement.
    if office is None or _holds(claim_y, claims_x) or _holds(claim_x, claims_y):
        return None
    reasons = [claim.how for claim in (claim_x, claim_y) if claim.how]
    if claim_x.jurisdiction and claim_y.jurisdiction:
        if claim_x.jurisdiction != claim_y.jurisdiction:
            return None
        return [f"both give the single-holder office '{office.name}' of {place_label(claim_x.jurisdiction)}", *reasons]
    if office.needs_qualifier:
        return None
    for unqualified, other in ((claim_x, claim_y), (claim_y, claim_x)):
        if unqualified.jurisdiction is None:
            doc_id = unqualified.mention.doc_id
            why = _implied_rival(unqualified, other, corpus.documents[doc_id], corpus.claims[doc_id])
            if why is None:
                return None
            reasons.append(why)
    known = claim_x.jurisdiction or claim_y.jurisdiction
    whose = f", {place_label(known)}'s in the other document" if known else ""
    return [f"both give the single-holder office '{office.name}'{whose}", *reasons]


def _holds(claim: OfficeClaim, claims: list[OfficeClaim]) -> bool:
    """Whether ``claims`` give the claim's office, in a compatible jurisdiction, to the claim's person."""
    return any(
        other.office == claim.office
        and same_person(other.mention.person, claim.mention.person)
        and (other.jurisdiction is None or claim.jurisdiction is None or other.jurisdiction == claim.jurisdiction)
        for other in claims
    )


def _implied_rival(
    unqualified: OfficeClaim, other: OfficeClaim, document: DocumentEntities, claims: list[OfficeClaim]
) -> str | None:
    """An office named without its country is the other holder's office only when the document names
    that holder too, without the title and not as someone's counterpart, and gives the unqualified
    office to no one else."""
    rival = other.mention.person
    person = document.person(rival)
    if not document.appears(rival) or (person is not None and person.counterpart):
        return None
    holders = [claim for claim in claims if claim.office == unqualified.office and claim.jurisdiction is None]
    if any(not same_person(claim.mention.person, unqualified.mention.person) for claim in holders):
        return None
    holder = unqualified.mention.person
    return f"{document.doc_id} names no country for {holder}'s office, but also names {rival} without that title"


def office_subject(office: str, jurisdiction: str | None) -> str:
    return office + (f" of {place_label(jurisdiction)}" if jurisdiction else "")


def holder_finding(context: ComparisonContext, clash: HolderClash) -> Finding:
    x, y = clash.x.mention, clash.y.mention
    severity, when = timing(context, x.doc_id, y.doc_id, OFFICE_TIMES)
    subject = office_subject(clash.x.office, clash.jurisdiction)
    label_x, label_y = document_label(context, x.doc_id), document_label(context, y.doc_id)
    summary = f"{subject}: {x.person} ({label_x}) vs {y.person} ({label_y})"
    explicit = x.qualifier is not None and y.qualifier is not None
    sides = [evidence(context, x, x.person, _side_score(x)), evidence(context, y, y.person, _side_score(y))]
    reasons = [*clash.reasons, f"{x.person} and {y.person} are different people", when]
    score = EXPLICIT_SCORE if explicit else INFERRED_SCORE
    caveat = OFFICE_TIMES[1] if severity is Severity.warning else None
    return make_finding(RoleDetector.kind, severity, summary, sides, score, reasons, subject=subject, caveat=caveat)


def holder_agreement_finding(context: ComparisonContext, claim_x: OfficeClaim, claim_y: OfficeClaim) -> Finding:
    x, y = claim_x.mention, claim_y.mention
    subject = office_subject(claim_x.office, claim_x.jurisdiction)
    reasons = [f"both give the office '{claim_x.office}' of {place_label(claim_x.jurisdiction or '')} to {x.person}"]
    reasons += [claim.how for claim in (claim_x, claim_y) if claim.how]
    sides = [evidence(context, x, x.person, _side_score(x)), evidence(context, y, x.person, _side_score(y))]
    summary = f"{subject}: both {x.person}"
    return make_finding(RoleDetector.kind, Severity.info, summary, sides, EXPLICIT_SCORE, reasons, subject=subject)


# --------------------------------------------------------------------------- one person, two titles


def _titled_people(corpus: Corpus) -> dict[str, list[TitledPerson]]:
    """Each document's titled people filed by surname, in document order: only documents sharing a
    surname are paired."""
    by_surname: dict[str, list[TitledPerson]] = defaultdict(list)
    for doc_id in sorted(corpus.documents):
        document = corpus.documents[doc_id]
        for person in document.people:
            titles = _titles(document, person.name)
            if titles:
                by_surname[surname(person.name)].append(TitledPerson(doc_id=doc_id, person=person.name, titles=titles))
    return by_surname


def title_clashes_of(corpus: Corpus) -> list[TitlePair]:
    """Per pair of documents and person both give titles: the first two titles that cannot both be
    theirs. Entries are grouped by (person, titles) first: a large corpus repeats the same few."""
    clashes = []
    for entries in _titled_people(corpus).values():
        groups: dict[tuple[str, frozenset[str]], list[TitledPerson]] = defaultdict(list)
        for entry in entries:
            groups[(entry.person, frozenset(title.title for title in entry.titles))].append(entry)
        for (person_a, titles_a), (person_b, titles_b) in combinations(groups, 2):
            if not same_person(person_a, person_b) or not _title_sets_clash(titles_a, titles_b):
                continue
            for entry_a, entry_b in product(groups[(person_a, titles_a)], groups[(person_b, titles_b)]):
                if entry_a.doc_id == entry_b.doc_id:
                    continue
                first, second = sorted((entry_a, entry_b), key=lambda entry: entry.doc_id)
                clash = _clash(first.titles, second.titles)
                if clash is not None:
                    clashes.append(_labelled(clash, corpus.nationalities))
    return sorted(clashes, key=lambda pair: (pair.x.doc_id, pair.y.doc_id, pair.x.person))


def title_agreements_of(corpus: Corpus, disputed: list[str]) -> list[TitlePair]:
    """For a disputed person, each document whose titles for them agree with an earlier document's,
    paired with the nearest such document (the first two titles that agree)."""
    agreements = []
    for entries in _titled_people(corpus).values():
        entries = [entry for entry in entries if any(same_person(entry.person, person) for person in disputed)]
        for index, later in enumerate(entries):
            for earlier in reversed(entries[:index]):
                if earlier.doc_id == later.doc_id or not same_person(earlier.person, later.person):
                    continue
                if _clash(earlier.titles, later.titles) is not None:
                    continue
                agreement = _agreement(earlier.titles, later.titles)
                if agreement is not None:
                    agreements.append(_labelled(agreement, corpus.nationalities))
                    break
    return agreements


def _labelled(pair: tuple[TitleMention, TitleMention], nationalities: Nationalities) -> TitlePair:
    x, y = pair
    return TitlePair(x=x, y=y, label_x=title_label(x, nationalities), label_y=title_label(y, nationalities))


def _titles(document: DocumentEntities, person: str) -> list[TitleMention]:
    """The person's titles in a document: offices and posts, under a full name (a surname alone may be a relative)."""
    if len(person.split()) < 2:
        return []
    return [
        mention
        for mention in document.titles_of(person)
        if mention.category in {"office", "post"} and len(mention.person.split()) > 1
    ]


def _clash(titles_x: list[TitleMention], titles_y: list[TitleMention]) -> tuple[TitleMention, TitleMention] | None:
    """The first title of each side that fits none of the other side's titles, when both have one."""
    if not _title_sets_clash(frozenset(t.title for t in titles_x), frozenset(t.title for t in titles_y)):
        return None
    only_x = [title for title in titles_x if not any(titles_compatible(title.title, other.title) for other in titles_y)]
    only_y = [title for title in titles_y if not any(titles_compatible(title.title, other.title) for other in titles_x)]
    return only_x[0], only_y[0]


@lru_cache(maxsize=4096)
def _title_sets_clash(titles_x: frozenset[str], titles_y: frozenset[str]) -> bool:
    """Decided once per pair of title sets: a large corpus repeats the same few."""
    fits = [any(titles_compatible(a, b) for b in titles_y) for a in titles_x]
    fitted = [any(titles_compatible(b, a) for a in titles_x) for b in titles_y]
    return not all(fits) and not all(fitted)


def _agreement(titles_x: list[TitleMention], titles_y: list[TitleMention]) -> tuple[TitleMention, TitleMention] | None:
    return next(((x, y) for x in titles_x for y in titles_y if titles_compatible(x.title, y.title)), None)


@lru_cache(maxsize=4096)
def titles_compatible(a: str, b: str) -> bool:
    """'minister' fits 'foreign minister' and 'secretary' fits 'secretary of state'; 'president'
    does not fit 'vice president', nor 'foreign minister' 'trade minister'."""
    if a == b:
        return True
    words = lexicon()
    if any(a in group and b in group for group in words.concurrent):
        return True
    words_a, words_b = set(a.split()), set(b.split())
    smaller, larger = sorted((words_a, words_b), key=len)
    return smaller <= larger and not (larger - smaller) & words.ranks


def title_label(mention: TitleMention, nationalities: Nationalities) -> str:
    """The title with whose it is: 'foreign minister of Kestria', also for 'Foreign Minister
    Helena Varsk' when the documents say she is Kestrian."""
    qualifier = mention.qualifier
    whose = qualifier.key if qualifier is not None else _national_office_country(mention, nationalities)
    return f"{mention.title} of {place_label(whose)}" if whose else mention.title


def title_finding(context: ComparisonContext, clash: TitlePair) -> Finding:
    x, y = clash.x, clash.y
    severity, when = timing(context, x.doc_id, y.doc_id, TITLE_TIMES)
    subject = f"title of {x.person}"
    summary = (
        f"{subject}: {clash.label_x} ({document_label(context, x.doc_id)}) "
        f"vs {clash.label_y} ({document_label(context, y.doc_id)})"
    )
    reasons = [
        f"both name {x.person}",
        f"{x.doc_id} never calls {x.person} {y.title}, {y.doc_id} never calls them {x.title}",
        f"'{x.title}' and '{y.title}' are different titles",
        when,
    ]
    sides = [evidence(context, x, clash.label_x, TITLE_SCORE), evidence(context, y, clash.label_y, TITLE_SCORE)]
    caveat = TITLE_TIMES[1] if severity is Severity.warning else None
    return make_finding(RoleDetector.kind, severity, summary, sides, TITLE_SCORE, reasons, subject=subject, caveat=caveat)


def title_agreement_finding(context: ComparisonContext, agreement: TitlePair) -> Finding:
    x, y = agreement.x, agreement.y
    subject = f"title of {x.person}"
    if agreement.label_x == agreement.label_y:
        summary = f"{subject}: both {agreement.label_x}"
    else:
        summary = f"{subject}: {agreement.label_x} and {agreement.label_y} agree"
    fit = f"both call them '{x.title}'" if x.title == y.title else f"'{x.title}' and '{y.title}' fit each other"
    reasons = [f"both name {x.person}", fit]
    sides = [evidence(context, x, agreement.label_x, TITLE_SCORE), evidence(context, y, agreement.label_y, TITLE_SCORE)]
    return make_finding(RoleDetector.kind, Severity.info, summary, sides, TITLE_SCORE, reasons, subject=subject)


# --------------------------------------------------------------------------- wording


OFFICE_TIMES = ("an office has one holder on any one day", "the office may have changed hands")
TITLE_TIMES = ("a person's title does not change within a day", "the title may have changed")


def timing(context: ComparisonContext, doc_x: str, doc_y: str, phrases: tuple[str, str]) -> tuple[Severity, str]:
    """A conflict only when both documents are dated the same day; otherwise the role may have changed."""
    same_day, may_change = phrases
    date_x, date_y = context.published(doc_x), context.published(doc_y)
    if date_x and date_y and date_x[:10] == date_y[:10]:
        return Severity.conflict, f"both dated {date_x[:10]}: {same_day}"
    if date_x and date_y:
        return Severity.warning, f"dated {date_x[:10]} and {date_y[:10]}: {may_change} in between"
    undated = [doc for doc, date in ((doc_x, date_x), (doc_y, date_y)) if not date]
    verb = "is" if len(undated) == 1 else "are"
    return Severity.warning, f"{' and '.join(undated)} {verb} undated: {may_change}"


def document_label(context: ComparisonContext, doc_id: str) -> str:
    document = context.documents[doc_id]
    return f"{document.meta.outlet or doc_id}, {document.meta.published or 'undated'}"


def place_label(key: str) -> str:
    """'united states' → 'United States', 'miami-dade county' → 'Miami-Dade County'."""
    return key.title()


def _side_score(mention: TitleMention) -> float:
    """An office named without its country may be another country's."""
    return EXPLICIT_SCORE if mention.qualifier is not None else INFERRED_SCORE


def evidence(context: ComparisonContext, mention: TitleMention, value: str, score: float) -> Evidence:
    sentence = context.sentences[mention.doc_id][mention.sentence_index]
    return context.span_evidence(sentence, mention.start, mention.end, value, score)
