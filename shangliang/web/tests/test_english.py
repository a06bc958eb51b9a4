"""The English interface: pages switch language, and the catalogue is complete and compiled."""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.test import Client

from shangliang.accounts.models import User

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
TAG = re.compile(r"</?\w+[^>]*>")


def english_client(user: User | None = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    r = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert r.status_code == 302
    return client


def get_html(client: Client, url: str) -> str:
    r = client.get(url)
    assert r.status_code == 200, (url, r.status_code, r.get("Location"))
    return r.content.decode()


def assert_english(html: str, expected: list[str], chinese: list[str]) -> None:
    assert 'lang="en"' in html
    for text in expected:
        assert text in html, f"missing English text {text!r}"
    for text in chinese:
        assert text not in html, f"untranslated label {text!r}"


def test_it_translates_the_landing_page(world):
    html = get_html(english_client(), "/")
    assert_english(
        html,
        ["Shangliang", "CPPCC duty platform", "Participating CPPCC committees", "Log in"],
        ["登录", "首页", "政协履职平台", "入驻的政协组织", "跳到正文", "商量"],
    )
    assert world.county_a.name in html  # data stays as entered


def test_it_translates_the_login_page(world):
    html = get_html(english_client(), "/accounts/login/")
    assert_english(
        html,
        ["Log in", "Username or mobile number", "Password", "Register"],
        ["登录", "用户名或手机号", "密码", "注册", "群众还没有账号"],
    )


def test_it_translates_the_home_page_of_the_general_office(world):
    html = get_html(english_client(world.general_office), "/")
    assert_english(
        html,
        ["Waiting for me", "To-do", "Hello,", "Member roster", "Audit log", "Log out"],
        ["待办事项", "我的待办", "您好", "委员名册", "审计日志", "退出登录", "我的账号"],
    )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_translates_the_roster(world, language):
    client = english_client(world.general_office)
    if language == "zh-hans":  # the control: the same page in Chinese has the labels
        client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    html = get_html(client, f"/roster/orgs/{world.county_a.pk}/")
    labels = ["委员名册", "导出 Excel", "工作单位及职务", "查询", "职务", "状态"]
    if language == "zh-hans":
        assert all(label in html for label in labels)
        return
    assert_english(
        html,
        ["Member roster", "Export to Excel", "Employer and position", "Search", "Position"],
        labels,
    )
    assert world.county_a_member.name in html


# A tiny reader of the .po file: enough for what makemessages writes.


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)


def _unquote(line: str) -> str:
    body = line.strip()[1:-1]
    escapes = {"n": "\n", "t": "\t", "r": "\r"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), body)


def read_po(path: Path) -> list[Entry]:
    entries: list[Entry] = []
    key: str | int | None
    entry, key = Entry(), None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        if not line:
            if key is not None:
                entries.append(entry)
            entry, key = Entry(), None
        elif line.startswith("#,"):
            entry.flags += [f.strip() for f in line[2:].split(",")]
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if key == "msgid":
                entry.msgid += _unquote(line)
            elif key == "msgctxt":
                entry.msgctxt = (entry.msgctxt or "") + _unquote(line)
            elif key == "msgid_plural":
                entry.msgid_plural = (entry.msgid_plural or "") + _unquote(line)
            elif isinstance(key, int):
                entry.msgstr[key] += _unquote(line)
        else:
            word, _, rest = line.partition(" ")
            m = re.fullmatch(r"msgstr(?:\[(\d+)\])?", word)
            if m:
                key = int(m.group(1) or 0)
                entry.msgstr[key] = _unquote(rest)
            elif word in ("msgid", "msgid_plural", "msgctxt"):
                key = word
                setattr(entry, word, _unquote(rest))
    return entries


@pytest.fixture(scope="module")
def catalogue() -> tuple[Entry, list[Entry]]:
    header, *entries = read_po(LOCALE / "django.po")
    assert header.msgid == ""
    return header, entries


def test_the_catalogue_header_is_english(catalogue):
    header, entries = catalogue
    assert "Language: en\n" in header.msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header.msgstr[0]
    assert "fuzzy" not in header.flags
    assert len(entries) > 500


def test_every_entry_is_translated_with_the_same_placeholders(catalogue):
    _, entries = catalogue
    for e in entries:
        assert "fuzzy" not in e.flags, e.msgid
        forms = [0, 1] if e.msgid_plural is not None else [0]
        assert sorted(e.msgstr) == forms, e.msgid
        for i in forms:
            out = e.msgstr[i]
            assert out.strip(), f"untranslated: {e.msgid!r}"
            assert sorted(PLACEHOLDER.findall(out)) == sorted(PLACEHOLDER.findall(e.msgid)), (
                e.msgid,
                out,
            )
            assert TAG.findall(out) == TAG.findall(e.msgid), (e.msgid, out)
            # many strings land in double-quoted attributes (data-confirm, aria-label)
            if '"' not in e.msgid:
                assert '"' not in out, out


def test_the_compiled_catalogue_matches_the_po_file(catalogue):
    _, entries = catalogue
    with (LOCALE / "django.mo").open("rb") as f:
        mo = gettext.GNUTranslations(f)
    for e in entries:
        if e.msgctxt is not None:
            assert mo.pgettext(e.msgctxt, e.msgid) == e.msgstr[0], e.msgid
        elif e.msgid_plural is None:
            assert mo.gettext(e.msgid) == e.msgstr[0], e.msgid
        else:
            assert mo.ngettext(e.msgid, e.msgid_plural, 1) == e.msgstr[0], e.msgid
            assert mo.ngettext(e.msgid, e.msgid_plural, 2) == e.msgstr[1], e.msgid
