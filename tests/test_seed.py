"""The seed complete: every sentence of the guideline's introduction and legend is in the data and
on the home page, verbatim; what /verantwoording/ says about the source (indentation, [sic]) is
true of the seed.

The seed (../shared/seed/leidraad-werkplekleren.txt) is the text extracted from the original PDF:
words broken over two lines ("sta-" / "ges") are joined again before comparing, nothing else.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from generator.model import Leidraad
from tests.conftest import ROOT

SEED = ROOT.parent / "shared" / "seed" / "leidraad-werkplekleren.txt"
#: Section titles of the introduction, as the seed has them (the data keeps them as titles).
INTRO_TITLES = ("Wat is werkplekleren?", "Waarom een leidraad?")


def _seed() -> str:
    return SEED.read_text(encoding="utf-8")


def dehyphenate(text: str) -> str:
    """Join words the PDF broke at a line end ("va-" + newline + "riëren" -> "variëren")."""
    return re.sub(r"(?<=\w)-[ \t]*\n\s*(?=\w)", "", text)


def words(text: str) -> str:
    return " ".join(text.split())


def sentences(text: str) -> list[str]:
    """Sentences (and the bare URLs that stand on their own line in the seed)."""
    return [s for s in re.split(r"(?<=[.?!])\s+", words(text)) if s]


def seed_intro() -> str:
    """The introduction: from the start of the seed to the legend, titles included."""
    seed = _seed()
    return words(dehyphenate(seed[: seed.index("Legende:")]))


def seed_legend() -> list[str]:
    """The three legend entries, in order."""
    seed = _seed()
    start = seed.index("Legende:") + len("Legende:")
    end = seed.index("voor je begint", start)
    block = dehyphenate(seed[start:end])
    entries = [words(part) for part in re.split(r"\n\s*\n", block)]
    return [entry for entry in entries if len(entry) > 3]


def data_intro(leidraad: Leidraad) -> str:
    return words(" ".join(f"{s.titel} {s.tekst}" for s in leidraad.guideline.inleiding))


def visible_text(page: str) -> str:
    """The text a reader sees in the page's main content, tags removed."""
    main = page.split('<article class="md-content__inner', 1)[1].split("</article>", 1)[0]
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    return words(html.unescape(re.sub(r"<[^>]+>", " ", main)))


def test_the_seed_parses_as_expected() -> None:
    """Guards the helpers: a broken split would make the tests below pass vacuously."""
    intro = sentences(seed_intro())
    assert len(intro) >= 14
    assert "http://www.ond.vlaanderen.be/rtc/default.htm" in seed_intro()
    assert "stages, afwisselend leren en werken" in seed_intro()  # "sta-" + "ges" joined
    assert seed_legend() == [
        "Heel belangrijk voor alle betrokken en elke vorm van werkplekleren",
        "Heel belangrijk voor sommige betrokkenen en of afhankelijk van de vorm van "
        "werkplekleren",
        "Belangrijk voor alle betrokken en elke vorm van werkplekleren",
    ]


def test_the_introduction_in_the_data_is_the_seeds_word_for_word(leidraad: Leidraad) -> None:
    assert [s.titel for s in leidraad.guideline.inleiding] == list(INTRO_TITLES)
    assert data_intro(leidraad) == seed_intro()


def test_every_sentence_of_the_introduction_is_in_the_data(leidraad: Leidraad) -> None:
    intro = data_intro(leidraad)
    for sentence in sentences(seed_intro()):
        assert sentence in intro, sentence


def test_the_two_restored_sentences_are_there(leidraad: Leidraad) -> None:
    intro = data_intro(leidraad)
    assert (
        "Reeds ontwikkelde voorbeelden vind je onder meer terug op: "
        "http://www.ond.vlaanderen.be/werkplekleren/"
    ) in intro
    assert (
        "Vind de contactgegevens van de bruggenbouwer van je lokale RTC om je hierin te "
        "ondersteunen. http://www.ond.vlaanderen.be/rtc/default.htm"
    ) in intro


def test_the_legend_in_the_data_is_the_seeds(leidraad: Leidraad) -> None:
    assert [e.tekst for e in leidraad.guideline.legende] == seed_legend()


def test_the_home_page_shows_every_sentence_of_introduction_and_legend(
    site_dir: Path, leidraad: Leidraad
) -> None:
    page = (site_dir / "index.html").read_text(encoding="utf-8")
    shown = visible_text(page)
    for sentence in [*sentences(seed_intro()), *seed_legend()]:
        assert sentence in shown, sentence
    # The old links stay as the guideline has them, marked as history; the note comes after
    # the text, on its own, with a current way to reach an RTC and its dated source.
    for link in leidraad.guideline.oorspronkelijke_links[:2]:
        assert f'<a class="wpl-historical" href="{link.url}" rel="nofollow">{link.url}</a>' in page
        assert f"{link.url}</a> <span" not in page
    section = leidraad.guideline.inleiding[-1]
    assert section.noot and section.bronnen
    note = page.split('class="wpl-note wpl-editorial"', 1)[1].split("</div>", 1)[0]
    assert "Noot van de redactie" in note
    assert 'href="https://www.rtc.vlaanderen/"' in note
    for source in section.bronnen:
        assert source.url and source.gecontroleerd
        assert f'href="{html.escape(source.url)}"' in note
    assert "gecontroleerd op 29 november 2026" in note
    assert page.index("default.htm</a>") < page.index("Noot van de redactie")


def test_verantwoording_claims_verbatim_texts_only_because_they_are(
    site_dir: Path, leidraad: Leidraad
) -> None:
    page = visible_text((site_dir / "verantwoording" / "index.html").read_text("utf-8"))
    assert "de inleidingen" in page and "staan er letterlijk in" in page
    # What makes that true is tested above; here: the page does not claim more than that.
    assert data_intro(leidraad) == seed_intro()


def _indents() -> list[int]:
    """Indentation (in spaces) of each criterion's first line in the seed, in order."""
    body = _seed()[_seed().index("Legende:"):]
    found = []
    for line in body.splitlines():
        match = re.match(r"^( {1,3})[A-Z][a-zë]", line)
        if match and not line.lstrip().startswith("Erken"):  # "Erken ..." continues a criterion
            found.append(len(match.group(1)))
    return found


def test_indentation_separates_level_one_and_nothing_else(leidraad: Leidraad) -> None:
    """What /verantwoording/#niveaus says: level 1 is indented one space, levels 2 and 3 alike."""
    indents = _indents()
    levels = [loc.criterion.niveau for loc in leidraad.criteria()]
    assert len(indents) == len(levels) == 57
    by_level: dict[int, set[int]] = {}
    for level, indent in zip(levels, indents, strict=True):
        by_level.setdefault(level, set()).add(indent)
    assert by_level[1] == {1}
    assert 1 not in by_level[2] | by_level[3]
    assert by_level[2] & by_level[3], "levels 2 and 3 share their indentation"


def test_verantwoording_says_the_split_between_two_and_three_is_ours(site_dir: Path) -> None:
    page = visible_text((site_dir / "verantwoording" / "index.html").read_text("utf-8"))
    assert "Tussen niveau 2 en niveau 3 maakt de inspringing geen onderscheid" in page
    assert "oordeel van de redactie, met deze regel" in page


def test_source_errors_stay_verbatim_and_are_listed_once_with_sic(
    site_dir: Path, leidraad: Leidraad
) -> None:
    errors = leidraad.guideline.bronfouten
    assert {e.tekst for e in errors} >= {"betrokken", "en of", "zonodig", "enz..."}
    seed = words(dehyphenate(_seed()))
    texts = [
        data_intro(leidraad),
        *(e.tekst for e in leidraad.guideline.legende),
        *(loc.criterion.tekst for loc in leidraad.criteria()),
    ]
    for error in errors:
        pattern = rf"(?<!\w){re.escape(error.tekst)}(?!\w)"
        assert re.search(pattern, seed), error.tekst
        assert any(re.search(pattern, t) for t in texts), error.tekst
    page = visible_text((site_dir / "verantwoording" / "index.html").read_text("utf-8"))
    for error in errors:
        listed = f"«{error.tekst}» [sic], bedoeld is «{error.bedoeld}»"
        assert page.count(listed) == 1, listed
    assert page.count("[sic]") == len(errors)
