"""A pybtex formatting style ``author_year``: the plain style with author-year labels.

The chapters cite author-year (``bibtex_reference_style: author_year``: "Belhadj Mohamed et al.
[2026]"), but pybtex's ``plain`` style numbers the References list ([1], [2], ...), so a reader
cannot find "3GPP, 2020" in it. This style labels each entry as the citations name it
("Belhadj Mohamed et al., 2026"), with a, b, ... where one author has several entries in a year.
"""

from __future__ import annotations

import codecs
from collections import Counter

import latexcodec  # noqa: F401  (a pybtex dependency; registers the "ulatex" codec)
from pybtex.plugin import register_plugin
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle


def _last_name(person) -> str:
    text = " ".join(person.prelast_names + person.last_names) or str(person)
    return codecs.decode(text, "ulatex").replace("{", "").replace("}", "")     # Bj{\"o}rnson -> Björnson


def author_year(entry) -> str:
    """'A', 'A and B' or 'A et al.', then ', year' (editors when there are no authors)."""
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [_last_name(p) for p in persons]
    if not names:
        who = entry.fields.get("organization", entry.key)
    elif len(names) == 1:
        who = names[0]
    elif len(names) == 2 and str(persons[1]) != "others":
        who = f"{names[0]} and {names[1]}"
    else:
        who = f"{names[0]} et al."
    return f"{who}, {entry.fields.get('year', 'n.d.')}"


class AuthorYearLabelStyle(BaseLabelStyle):
    def format_labels(self, sorted_entries):
        entries = list(sorted_entries)
        labels = [author_year(e) for e in entries]
        counts = Counter(labels)
        seen: Counter = Counter()
        for label in labels:
            if counts[label] > 1:
                yield label + "abcdefghijklmnopqrstuvwxyz"[seen[label]]
                seen[label] += 1
            else:
                yield label


class AuthorYearStyle(PlainStyle):
    default_label_style = AuthorYearLabelStyle


def setup(app):
    register_plugin("pybtex.style.formatting", "author_year", AuthorYearStyle)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
