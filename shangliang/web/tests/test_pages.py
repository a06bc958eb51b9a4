from __future__ import annotations

from shangliang.core.models import AuditEvent


def test_it_serves_the_chinese_landing_page(world, client):
    r = client.get("/")
    assert r.status_code == 200
    html = r.content.decode()
    assert 'lang="zh-Hans"' in html
    assert "商量 · 政协履职平台" in html
    assert world.county_a.name in html


def test_it_switches_to_english(world, client):
    r = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert r.status_code == 200
    assert 'lang="en"' in r.content.decode()


def test_no_asset_comes_from_another_host(world, client):
    client.force_login(world.general_office)
    html = client.get("/").content.decode()
    for marker in ('src="http', 'href="http', 'src="//', 'href="//'):
        assert marker not in html
    csp = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "http" not in csp


def test_home_shows_exits_waiting_for_a_leader(world, client):
    from shangliang.core.workflow import transition

    transition(
        world.member_m,
        "propose_exit",
        actor=world.general_office,
        kind="resigned",
        reason="",
        date="2026-12-01",
    )
    client.force_login(world.leader)
    html = client.get("/").content.decode()
    assert "委员退出待审批" in html
    client.force_login(world.member)
    assert "委员退出待审批" not in client.get("/").content.decode()


def test_the_org_page_lists_its_parts(world, client):
    html = client.get(f"/orgs/{world.county_a.pk}/").content.decode()
    assert "教育界" in html and "第1届" in html
    assert client.get("/orgs/999999/").status_code == 404


def test_audit_log_is_scoped(world, client):
    from shangliang.core.audit import audit_record

    audit_record(actor=world.county_b_member, action="test.county_b", target=world.county_b)
    audit_record(actor=world.county_a_member, action="test.county_a", target=world.county_a)
    client.force_login(world.county_a_leader)
    html = client.get("/audit/").content.decode()
    assert "test.county_a" in html and "test.county_b" not in html
    client.force_login(world.leader)  # the province reaches down
    html = client.get("/audit/").content.decode()
    assert "test.county_a" in html and "test.county_b" in html
    client.force_login(world.member)
    assert "test.county_a" not in client.get("/audit/").content.decode()
    assert AuditEvent.objects.count() >= 2


def test_date_input_accepts_chinese_format():
    from django import forms
    from django.utils import translation

    class F(forms.Form):
        d = forms.DateField()

    with translation.override("zh-hans"):
        form = F({"d": "2026年3月5日"})
        assert form.is_valid(), form.errors
        assert str(form.cleaned_data["d"]) == "2026-03-05"
