"""Proposed redactions (disclosure/finding.py): what is found, what it is grouped under, and what
must not be found."""

import itertools

import pytest

from disclosure.finding import NEARBY, Finder, Found, Kind, RegisteredPerson

FIONA = RegisteredPerson(1, "Fiona Reid", "Fiona.Reid@rma.scot")
TOM_HAY = RegisteredPerson(2, "Tom Hay", "tom.hay@gov.scot")
SEAN = RegisteredPerson(3, "Seán O'Neill")
ANNA = RegisteredPerson(4, "Anna Smith-Jones")
WILL = RegisteredPerson(5, "Will Young")
ROBERT = RegisteredPerson(6, "Robert Gordon")
EWAN = RegisteredPerson(7, "Ewan Scott")
JANE = RegisteredPerson(8, "Jane Smith")
JOHN = RegisteredPerson(9, "John Smith")
PEOPLE = [FIONA, TOM_HAY, SEAN, ANNA, WILL, ROBERT, EWAN, JANE, JOHN]


def find(text, **rules):
    return Finder(people=rules.pop("people", PEOPLE), **rules).find(text)


def texts(text, **rules):
    return [f.text for f in find(text, **rules)]


def only(text, **rules):
    (found,) = find(text, **rules)
    return found


def test_kinds_are_named_in_the_users_words():
    assert [label for _, label in Kind.choices] == [
        "Name",
        "E-mail address",
        "Telephone number",
        "Postcode",
        "Added term",
    ]


# --- Names ------------------------------------------------------------------------------------------


def test_a_full_name_is_found_with_its_person_and_register_name():
    text = "Apologies were received from Fiona Reid."
    assert find(text) == [Found(start=29, end=39, text="Fiona Reid", kind=Kind.NAME, term="Fiona Reid", person_id=1)]


@pytest.mark.parametrize(
    "written",
    ["FIONA REID", "fiona reid", "Fiona J. Reid", "Fiona J Reid", "Fiona\nReid", "Fiona \n  Reid", "F. Reid", "F Reid"],
)
def test_a_full_name_however_it_is_written(written):
    found = only(f"Paper presented by {written} to the group.")
    assert (found.text, found.term, found.person_id) == (written, "Fiona Reid", 1)


@pytest.mark.parametrize(
    "title",
    [
        "Mr",
        "Mr.",
        "Mrs",
        "Ms",
        "Miss",
        "Mx",
        "Dr",
        "Dr.",
        "Prof",
        "Prof.",
        "Professor",
        "Sir",
        "Dame",
        "Rev",
        "DS",
        "DI",
        "DCI",
        "Det Supt",
        "Det. Supt.",
        "Supt",
        "Chief Superintendent",
        "Inspector",
        "Sergeant",
        "ACC",
        "DCC",
    ],
)
def test_a_surname_with_a_title(title):
    found = only(f"The update was given by {title} Hay.")
    assert (found.text, found.term, found.person_id) == (f"{title} Hay", "Tom Hay", 2)


def test_a_title_starts_with_a_capital():
    assert texts("We will miss Reid; MR REID; Chief superintendent Reid.") == [
        "Reid",
        "MR REID",
        "Chief superintendent Reid",
    ]


def test_a_title_across_a_line_break_and_before_a_full_name():
    assert texts("DCI\nReid and Dr Fiona J. Reid") == ["DCI\nReid", "Dr Fiona J. Reid"]


def test_a_surname_does_not_match_inside_a_longer_word():
    assert texts("Hayes, haystack, Hay-Smith and hay were discussed; Mr Hay agreed.") == ["Mr Hay"]


@pytest.mark.parametrize("apostrophe", ["'", "\u2019"])
def test_a_possessive_leaves_its_s(apostrophe):
    found = only(f"Mr Reid{apostrophe}s paper was noted.")
    assert (found.text, found.term) == ("Mr Reid", "Fiona Reid")


@pytest.mark.parametrize("written", ["Seán O'Neill", "Seán O\u2019Neill", "Mr O\u2019Neill", "O'Neill"])
def test_names_with_apostrophes_and_unicode(written):
    found = only(f"Noted: {written} will attend.")
    assert (found.text, found.term, found.person_id) == (written, "Seán O'Neill", 3)


def test_accents_are_optional_in_the_text():
    found = find("Sean O'Neill, SEÁN O'NEILL and Seán agreed.")
    assert [(f.text, f.term) for f in found] == [
        ("Sean O'Neill", "Seán O'Neill"),
        ("SEÁN O'NEILL", "Seán O'Neill"),
        ("Seán", "Seán O'Neill"),
    ]


def test_a_surname_with_a_particle():
    ana = RegisteredPerson(14, "Ana de Souza")
    found = find("Ana de Souza presented; Dr de Souza and Ms Souza agreed.", people=[ana])
    assert [(f.text, f.person_id) for f in found] == [("Ana de Souza", 14), ("Dr de Souza", 14), ("Ms Souza", 14)]


def test_a_surname_is_not_found_after_an_apostrophe():
    neill = RegisteredPerson(10, "Ian Neill")
    assert texts("Mr O'Neill and Mr Neill", people=[neill]) == ["Mr Neill"]


@pytest.mark.parametrize("written", ["Anna Smith-Jones", "Ms Smith-Jones", "Smith-\nJones", "Anna Smith\u2011Jones"])
def test_double_barrelled_names(written):
    found = only(f"Action: {written} to circulate.")
    assert (found.text, found.term, found.person_id) == (written, "Anna Smith-Jones", 4)


def test_a_bare_surname_is_found_when_capitalised():
    assert texts("Reid reported. REID agreed. reid is not a name here.") == ["Reid", "REID"]


def test_all_forms_of_a_person_are_grouped_under_their_register_name():
    found = find("Fiona Reid opened the meeting. Mr Reid's paper was taken. Fiona thanked members.")
    assert [(f.text, f.term, f.person_id) for f in found] == [
        ("Fiona Reid", "Fiona Reid", 1),
        ("Mr Reid", "Fiona Reid", 1),
        ("Fiona", "Fiona Reid", 1),
    ]


def test_a_forename_alone_needs_its_surname_nearby():
    assert texts("Fiona welcomed everyone.") == []
    far = "Fiona Reid chaired." + " The group noted the paper." * 20 + " Fiona closed the meeting."
    assert texts(far) == ["Fiona Reid"]
    assert far.rindex("Fiona") - far.index("Fiona") > NEARBY
    near = "Fiona Reid chaired." + " The group noted the paper." * 5 + " Fiona closed the meeting."
    assert texts(near) == ["Fiona Reid", "Fiona"]


def test_a_forename_before_its_surname_counts_too():
    assert texts("Fiona opened the meeting; apologies from DCI Reid.") == ["Fiona", "DCI Reid"]


def test_a_shared_forename_goes_to_the_nearest_full_name():
    fiona_hay = RegisteredPerson(15, "Fiona Hay")
    text = "Fiona Reid chaired." + " The group noted the paper." * 4 + " Fiona Hay presented. Fiona agreed."
    found = find(text, people=[FIONA, fiona_hay])
    assert [(f.text, f.person_id) for f in found] == [("Fiona Reid", 1), ("Fiona Hay", 15), ("Fiona", 15)]


def test_a_lower_case_forename_is_not_a_name():
    assert texts("Mr Reid: fiona is not capitalised here.") == ["Mr Reid"]


def test_a_forename_that_is_a_common_word_counts_only_mid_sentence():
    # Will Young is in the register; "Will" starts sentences in minutes as a verb.
    text = "Mr Young presented. Will circulate the paper. It was agreed that Will would report. WILL NOTE."
    assert texts(text) == ["Mr Young", "Will"]
    assert find(text)[1].start == text.index("that Will") + len("that ")


def test_a_surname_that_is_a_common_word_counts_only_mid_sentence():
    text = "Young people were discussed. The report from Young was noted.\nYoung offenders too."
    assert texts(text) == ["Young"]
    assert find(text)[0].start == text.index("from Young") + len("from ")
    assert texts("young people and Mr Young") == ["Mr Young"]


def test_a_shared_surname_goes_to_the_nearest_full_name():
    found = find("Jane Smith presented. Ms Smith asked for comments.")
    assert [(f.text, f.term, f.person_id) for f in found] == [
        ("Jane Smith", "Jane Smith", 8),
        ("Ms Smith", "Jane Smith", 8),
    ]


def test_a_shared_surname_with_no_full_name_near_names_them_all():
    found = only("Mr Smith sent apologies.")
    assert (found.term, found.person_id) == ("Jane Smith or John Smith", None)


def test_register_names_with_titles_or_surname_first():
    people = [RegisteredPerson(11, "Dr Morag Kerr"), RegisteredPerson(12, "Duncan, Isla")]
    assert [(f.text, f.term) for f in find("Morag Kerr and Isla Duncan; Dr Kerr.", people=people)] == [
        ("Morag Kerr", "Dr Morag Kerr"),
        ("Isla Duncan", "Duncan, Isla"),
        ("Dr Kerr", "Dr Morag Kerr"),
    ]


# --- Kept people and kept phrases ---------------------------------------------------------------------


def test_a_kept_person_is_not_proposed_but_their_email_is():
    text = "The NSG chair, Fiona Reid (fiona.reid@rma.scot), welcomed members. Mr Hay noted. Fiona closed."
    found = find(text, kept_people={FIONA.id})
    assert [(f.text, f.kind) for f in found] == [("fiona.reid@rma.scot", Kind.EMAIL), ("Mr Hay", Kind.NAME)]


def test_a_kept_full_name_is_not_proposed_as_someone_elses_surname():
    fiona_smith = RegisteredPerson(13, "Fiona Smith")
    assert texts("Jane Smith and Fiona Smith", people=[JANE, fiona_smith], kept_people={13}) == ["Jane Smith"]


def test_a_shared_surname_is_kept_only_if_everyone_it_may_be_is_kept():
    assert texts("Mr Smith", kept_people={JANE.id}) == ["Mr Smith"]
    assert texts("Mr Smith", kept_people={JANE.id, JOHN.id}) == []


def test_a_kept_phrase_keeps_the_names_inside_it():
    text = "Robert Gordon University hosted; Robert Gordon attended. Gordon spoke."
    found = find(text, kept_phrases=["Robert Gordon University"])
    assert [(f.text, f.start) for f in found] == [("Robert Gordon", 33), ("Gordon", 57)]
    # Without the rule the university's name is proposed as the person's.
    assert texts(text)[0] == "Robert Gordon"
    assert find(text)[0].start == 0


def test_a_kept_phrase_keeps_addresses_and_numbers_too():
    text = "Write to Saughton House, Broomhouse Drive, Edinburgh EH11 3XD (0131 244 4000), not to EH1 3DG."
    found = find(text, kept_phrases=["Edinburgh EH11 3XD (0131 244 4000)"])
    assert [f.text for f in found] == ["EH1 3DG"]


def test_a_kept_phrase_matches_whatever_the_case_and_line_breaks():
    assert texts("ROBERT GORDON\nUNIVERSITY", kept_phrases=["Robert Gordon University"]) == []


# --- Added terms ----------------------------------------------------------------------------------------


def test_an_added_term_is_found_everywhere_as_typed():
    text = "Operation Bluebell began. OPERATION\nBLUEBELL ended; bluebells grew; operation bluebell."
    found = find(text, added_terms=["Operation Bluebell"])
    assert [f.text for f in found] == ["Operation Bluebell", "OPERATION\nBLUEBELL", "operation bluebell"]
    assert {(f.kind, f.term) for f in found} == {(Kind.TERM, "Operation Bluebell")}


def test_an_added_term_may_be_a_reference_with_punctuation():
    found = find("See SCR/2017/04 and SCR/2017/041.", added_terms=["SCR/2017/04"])
    assert [f.text for f in found] == ["SCR/2017/04"]


# --- E-mail addresses, telephone numbers, postcodes -------------------------------------------------------


def test_any_email_address_is_found_and_the_registers_are_linked():
    text = "Write to Tom.Hay@GOV.scot or to enquiries@example.org.uk."
    assert [(f.text, f.term, f.person_id) for f in find(text)] == [
        ("Tom.Hay@GOV.scot", "tom.hay@gov.scot", 2),
        ("enquiries@example.org.uk", "enquiries@example.org.uk", None),
    ]


@pytest.mark.parametrize(
    "written, digits",
    [
        ("0131 496 0123", "01314960123"),
        ("0131-496-0123", "01314960123"),
        ("01314960123", "01314960123"),
        ("(0131) 496 0123", "01314960123"),
        ("+44 (0)131 496 0123", "01314960123"),
        ("+44 131 496 0123", "01314960123"),
        ("0044 131 496 0123", "01314960123"),
        ("07700 900123", "07700900123"),
        ("07700900123", "07700900123"),
        ("+44 7700 900123", "07700900123"),
        ("020 7946 0123", "02079460123"),
        ("0300 123 4567", "03001234567"),
        ("01592 583 100", "01592583100"),
    ],
)
def test_telephone_numbers_as_people_write_them(written, digits):
    found = only(f"Tel: {written}. Out of hours too.", people=[])
    assert (found.text, found.kind, found.term) == (written, Kind.TELEPHONE, digits)


def test_telephone_numbers_next_to_a_slash():
    found = find("Tel 0131 496 0123/4 or 07700 900123/07700 900124", people=[])
    assert [f.text for f in found] == ["0131 496 0123", "07700 900123", "07700 900124"]


@pytest.mark.parametrize("written", ["EH1 3DG", "G2 1DU", "KY16 9AJ", "AB10 1XG", "EC1A 1BB", "eh1 3dg", "EH13DG"])
def test_full_postcodes(written):
    found = only(f"Venue: Saughton House, Edinburgh {written}.", people=[])
    assert (found.text, found.kind) == (written, Kind.POSTCODE)
    assert found.term == {"eh1 3dg": "EH1 3DG", "EH13DG": "EH1 3DG"}.get(written, written)


# --- What must not be found ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Hayes and Mrs Hayes attended; the haystack.",
        "Police Scotland and Scotland's chief constable.",
        "Performance in Q2 2017 improved.",
        "ICR 2017/03 was discussed, and ICR 4.",
        "FOI/202700123 was answered.",
        "The budget was £1,250,000 (£0131 4960123 in total).",
        "Effective from 01/04/2017 and 2017-04-01, or 01-04-2017.",
        "One SCR was notified.",
        "The meeting ran 0930-1230 in 2017 2018.",
        "Figures: 1,250,000 and 0.5 and 10 20 30 40.",
        "Young people and young offenders.",
        "Will circulate. May meeting noted.",
        "scott and reid in lower case are words here",
        "Reference 12345678901 and 001314960123456.",
        "Mr Jones and Dr Brown are not in the register.",
        "email@ alone and @rma.scot alone",
    ],
)
def test_false_positives(text):
    assert find(text) == []


def test_an_organisation_that_contains_a_surname_is_not_proposed_when_kept():
    text = "Robert Gordon University and the Scott Foundation"
    assert texts(text, kept_phrases=["Robert Gordon University", "Scott Foundation"]) == []
    assert texts(text) == ["Robert Gordon", "Scott"]


# --- The shape of the answer -----------------------------------------------------------------------------


def test_the_longest_wins_and_nothing_overlaps():
    text = "Contact Fiona Reid at fiona.reid@rma.scot, 0131 496 0123, Reid House, EH1 3DG."
    found = find(text, added_terms=["Reid", "Fiona Reid at"])
    assert [(f.text, f.kind) for f in found] == [
        ("Fiona Reid at", Kind.TERM),
        ("fiona.reid@rma.scot", Kind.EMAIL),
        ("0131 496 0123", Kind.TELEPHONE),
        ("Reid", Kind.NAME),
        ("EH1 3DG", Kind.POSTCODE),
    ]


def test_found_spans_are_sorted_do_not_overlap_and_give_the_text():
    text = "Fiona Reid (0131 496 0123) and Mr Hay, Seán O’Neill, EH1 3DG, Jane Smith; Fiona and Jane agreed.\n" * 3
    found = find(text)
    assert len(found) == 3 * 8
    assert all(f.text == text[f.start : f.end] for f in found)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


def test_a_register_of_five_thousand_people():
    forenames = [f"Fore{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(50)]
    surnames = [f"Sur{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(100)]
    people = [
        RegisteredPerson(i, f"{fore} {sur}") for i, (fore, sur) in enumerate(itertools.product(forenames, surnames))
    ]
    assert len(people) == 5000
    finder = Finder(people=people)
    found = finder.find("Foreab Surcd and Mr Surcd; Foreab agreed. Forezz Surzz is not registered.")
    assert [(f.text, f.term, f.person_id) for f in found] == [
        ("Foreab Surcd", "Foreab Surcd", 1 * 100 + 2 * 26 + 3),
        ("Mr Surcd", "Foreab Surcd", 155),
        ("Foreab", "Foreab Surcd", 155),
    ]


def test_no_people_and_no_rules_find_patterns_only():
    assert texts("Fiona Reid, fiona@rma.scot", people=[]) == ["fiona@rma.scot"]
