"""The catalogues: zh_Hans complete, zh_Hant derived from it and kept in step."""

import re
from pathlib import Path

import opencc
from django.conf import settings
from django.core.management import call_command

from ducha.core.management.commands.translate_hant import convert_catalogue

LOCALE = Path(settings.LOCALE_PATHS[0])

SAMPLE = """# preamble of the source
msgid ""
msgstr ""
"Language: zh_Hans\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"

#: ducha/problems/views.py:1
#, python-format
msgid "Done: %(action)s."
msgstr "已办理：%(action)s。"

msgid ""
"A long message that makemessages "
"wraps over lines"
msgstr ""
"发现问题后交办"
"承办单位整改"

msgid "%(counter)s problem waits for you."
msgid_plural "%(counter)s problems wait for you."
msgstr[0] "共有 %(counter)s 个问题待您办理。"
"""


def test_conversion_touches_only_the_translations():
    converted = convert_catalogue(SAMPLE, opencc.OpenCC("s2twp").convert)
    assert '"Language: zh_Hant\\n"' in converted
    assert 'msgid "Done: %(action)s."' in converted
    assert 'msgstr "已辦理：%(action)s。"' in converted
    assert '"發現問題後交辦"\n"承辦單位整改"' in converted
    assert '"A long message that makemessages "' in converted
    assert 'msgstr[0] "共有 %(counter)s 個問題待您辦理。"' in converted
    assert "# preamble of the source" not in converted


def _entries(path: Path) -> dict[str, str]:
    """msgid → first msgstr of every entry after the header."""
    entries: dict[str, str] = {}
    for block in path.read_text(encoding="utf-8").split("\n\n")[1:]:
        parts: dict[str, str] = {}
        key = ""
        for line in block.splitlines():
            keyword = re.match(
                r'^(msgid|msgid_plural|msgstr(?:\[0\])?|msgstr\[\d+\]) "(.*)"$', line
            )
            if keyword:
                key = keyword.group(1).replace("[0]", "")
                parts[key] = keyword.group(2)
            elif line.startswith('"') and key:
                parts[key] += line[1:-1]
        entries[parts["msgid"]] = parts.get("msgstr", "")
    return entries


def test_every_simplified_chinese_entry_is_translated():
    entries = _entries(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po")
    assert len(entries) > 200
    assert [msgid for msgid, msgstr in entries.items() if not msgstr] == []


def test_traditional_catalogue_is_the_conversion_of_the_simplified_one(tmp_path, settings):
    for lang in ["zh_Hans", "zh_Hant"]:
        target = tmp_path / lang / "LC_MESSAGES"
        target.mkdir(parents=True)
        source = LOCALE / lang / "LC_MESSAGES" / "django.po"
        (target / "django.po").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    settings.LOCALE_PATHS = [tmp_path]
    call_command("translate_hant", stdout=open("/dev/null", "w"))  # noqa: SIM115
    regenerated = (tmp_path / "zh_Hant" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    committed = (LOCALE / "zh_Hant" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    assert regenerated == committed, "run `manage.py translate_hant` after editing zh_Hans"
