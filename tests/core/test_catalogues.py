"""Every string the product adds is translated in Russian, Kazakh and Turkish: none empty, none fuzzy, and the
committed .mo files say what the .po files say."""

import re
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = ("ru", "kk", "tr")


def _entries(language: str) -> list[str]:
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    return [entry for entry in text.split("\n\n") if re.search(r'^msgid "', entry, re.M)]


def _strings(entry: str, keyword: str) -> list[str]:
    found = re.findall(rf'^{keyword} ((?:".*"\n?)+)', entry, re.M)
    return ["".join(re.findall(r'"((?:[^"\\]|\\.)*)"', block)) for block in found]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_msgid_is_translated_and_none_is_fuzzy(language):
    untranslated, fuzzy = [], []
    entries = _entries(language)
    for entry in entries:
        msgid = _strings(entry, "msgid")[0]
        if not msgid:
            continue  # the header
        if re.search(r"^#,.*\bfuzzy\b", entry, re.M):
            fuzzy.append(msgid)
        translations = _strings(entry, r"msgstr(?:\[\d\])?")
        if not translations or not all(translations):
            untranslated.append(msgid)
    assert len(entries) > 600
    assert not untranslated, f"{language}: untranslated {untranslated[:10]}"
    assert not fuzzy, f"{language}: fuzzy {fuzzy[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_says_what_the_source_says(language):
    """The committed .mo was compiled from the committed .po: every singular msgid reads the same in both."""
    import gettext

    with open(LOCALE / language / "LC_MESSAGES" / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in _entries(language):
        if re.search(r"^msgid_plural ", entry, re.M):
            continue
        msgid, msgstr = _strings(entry, "msgid")[0], _strings(entry, "msgstr")[0]
        if msgid and compiled.gettext(_unescape(msgid)) != _unescape(msgstr):
            stale.append(msgid)
    assert not stale, f"{language}: compile the catalogues again (manage.py compilemessages): {stale[:5]}"


def _unescape(text: str) -> str:
    return text.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")
