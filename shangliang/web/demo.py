"""The demo province of DESIGN.md: three committees, their parts, the named accounts."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from shangliang.accounts import services as people
from shangliang.accounts.models import Membership, Role, User
from shangliang.core.calendar import load_official_year
from shangliang.core.workflow import transition
from shangliang.orgs import services as orgs
from shangliang.orgs.models import Committee, Group, Organization, Sector, Term, Unit, Workstation
from shangliang.web.demo_duty import seed_duty
from shangliang.web.demo_opinions import seed_opinions
from shangliang.web.demo_proposals import seed_proposals

PASSWORD = "Shangliang#2026"  # noqa: S105 (the published demo password, DEBUG only)
TZ = ZoneInfo("Asia/Shanghai")

SECTORS = [
    "中国共产党",
    "中国国民党革命委员会",
    "中国民主同盟",
    "中国民主建国会",
    "中国民主促进会",
    "中国农工民主党",
    "中国致公党",
    "九三学社",
    "无党派人士",
    "中华全国总工会",
    "共产主义青年团",
    "中华全国妇女联合会",
    "文化艺术界",
    "科学技术界",
    "经济界",
    "农业和农村界",
    "教育界",
    "体育界",
    "新闻出版界",
    "医药卫生界",
    "对外友好界",
    "社会福利和社会保障界",
    "少数民族界",
    "宗教界",
    "特别邀请人士",
]
COMMITTEES = [
    "提案委员会",
    "经济委员会",
    "农业和农村委员会",
    "人口资源环境委员会",
    "教科卫体委员会",
    "社会和法制委员会",
    "民族和宗教委员会",
    "港澳台侨和外事委员会",
    "文化文史和学习委员会",
]
UNITS = [
    ("省教育厅", "教育厅"),
    ("省交通运输厅", "交通运输厅"),
    ("省发展和改革委员会", "发改委"),
    ("省财政厅", "财政厅"),
    ("省卫生健康委员会", "卫健委"),
    ("省生态环境厅", "生态环境厅"),
    ("省农业农村厅", "农业农村厅"),
    ("省人力资源和社会保障厅", "人社厅"),
    ("省住房和城乡建设厅", "住建厅"),
    ("省民政厅", "民政厅"),
]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "建国志强秀英丽华明伟芳敏静磊洋勇艳杰娟涛超霞平刚桂兰文辉玉梅红海燕军鹏飞慧晓东俊"
    "宇欣悦瑞雪梓涵子轩浩然思远雨婷佳怡文博宏亮振华国栋晓燕春梅立新永红"
)
WORKPLACES = [
    "省人民医院主任医师",
    "江川大学教授",
    "省农业科学院研究员",
    "青州市第一中学校长",
    "江川能源集团董事长",
    "省律师协会副会长",
    "省作家协会副主席",
    "临溪县农业合作社理事长",
    "江川科技股份有限公司总经理",
    "省社会科学院研究员",
    "省文化馆馆长",
    "青州市妇幼保健院院长",
]


DEMO_ACCOUNTS = {
    "admin": "系统管理员（全省）",
    "member1": "省政协常委",
    "member2": "省政协委员",
    "member3": "省政协委员",
    "city_member1": "青州市政协委员",
    "proposal_office": "省政协提案委员会办公室",
    "info_office": "省政协信息处",
    "committee_office": "省政协研究室",
    "secretary_general": "省政协秘书长",
    "chair": "省政协主席",
    "unit_edu": "承办单位：省教育厅",
    "unit_transport": "承办单位：省交通运输厅",
    "informant1": "省政协特邀信息员",
    "public1": "注册群众",
}


class DemoRefused(Exception):
    pass


def _name(rng: random.Random) -> str:
    given = GIVEN[rng.randrange(0, len(GIVEN) - 1)]
    if rng.random() < 0.7:
        given += GIVEN[rng.randrange(0, len(GIVEN) - 1)]
    return SURNAMES[rng.randrange(len(SURNAMES))] + given


def _user(username: str, name: str, phone: str, **extra: Any) -> User:
    return people.user_create(
        actor=None, username=username, name=name, phone=phone, password=PASSWORD, **extra
    )


def _committee_parts(org: Organization, prefix: str) -> dict[str, Any]:
    sectors = [
        orgs.part_create(actor=None, model=Sector, org=org, name=n, order=i)
        for i, n in enumerate(SECTORS)
    ]
    committees = [
        orgs.part_create(actor=None, model=Committee, org=org, name=n, order=i)
        for i, n in enumerate(COMMITTEES)
    ]
    groups = [
        orgs.part_create(
            actor=None,
            model=Group,
            org=org,
            name=f"第{i + 1}学习组",
            order=i,
            kind=Group.Kind.STUDY,
            region=r,
        )
        for i, r in enumerate(["东片", "南片", "西片", "北片"])
    ]
    groups += [
        orgs.part_create(
            actor=None,
            model=Group,
            org=org,
            name=f"{s.name}工作组",
            order=10 + i,
            kind=Group.Kind.WORK,
            sector=s,
        )
        for i, s in enumerate(sectors[12:18])
    ]
    units = [
        orgs.part_create(
            actor=None,
            model=Unit,
            org=org,
            name=prefix + n[1:] if n.startswith("省") else n,
            short_name=short,
            order=i,
        )
        for i, (n, short) in enumerate(UNITS)
    ]
    return {"sectors": sectors, "committees": committees, "groups": groups, "units": units}


def _term(org: Organization, number: int, cn: str) -> Term:
    term = orgs.term_create(
        actor=None, org=org, number=number, name=f"第{cn}届", starts_on=dt.date(2023, 1, 10)
    )
    orgs.session_create(
        actor=None,
        term=term,
        number=4,
        name=f"{org.short_name}第{cn}届四次会议",
        opens_on=dt.date(2026, 1, 12),
        closes_on=dt.date(2026, 1, 16),
        proposal_deadline=dt.datetime(2026, 1, 14, 18, 0, tzinfo=TZ),
    )
    orgs.session_create(
        actor=None,
        term=term,
        number=5,
        name=f"{org.short_name}第{cn}届五次会议",
        opens_on=dt.date(2027, 1, 11),
        closes_on=dt.date(2027, 1, 15),
        proposal_deadline=dt.datetime(2027, 1, 13, 18, 0, tzinfo=TZ),
    )
    return term


def _extra_members(
    org: Organization,
    term: Term,
    parts: dict[str, Any],
    count: int,
    rng: random.Random,
    phone_base: int,
    username_prefix: str,
) -> None:
    for i in range(count):
        user = people.user_create(
            actor=None,
            username=f"{username_prefix}{i + 1:03d}",
            name=_name(rng),
            phone=str(phone_base + i),
            gender=rng.choice("MF"),
            ethnicity="汉族",
            birth_month=dt.date(rng.randint(1960, 1990), rng.randint(1, 12), 1),
            workplace=rng.choice(WORKPLACES),
        )
        m = people.membership_add(
            actor=None,
            user=user,
            org=org,
            term=term,
            position=Membership.Position.STANDING if i % 7 == 0 else Membership.Position.MEMBER,
            sector=rng.choice(parts["sectors"]),
            committee=rng.choice(parts["committees"]),
            groups=[parts["groups"][i % 4]],
        )
        del m


@transaction.atomic
def seed_demo() -> dict[str, str]:
    """Build the demo province; returns {username: what the account is}."""
    if not settings.DEBUG:
        raise DemoRefused("The demo seeder refuses to run with DEBUG off.")
    if Organization.objects.exists():
        raise DemoRefused("The database is not empty; the demo seeds only an empty database.")
    rng = random.Random(2026)  # noqa: S311 (demo names, not secrets)
    load_official_year(2026)

    province = orgs.org_create(
        actor=None,
        name="政协江川省委员会",
        short_name="省政协",
        level=Organization.Level.PROVINCE,
        region_code="990000",
    )
    city = orgs.org_create(
        actor=None,
        name="政协青州市委员会",
        short_name="青州市政协",
        level=Organization.Level.CITY,
        parent=province,
        region_code="990100",
    )
    county = orgs.org_create(
        actor=None,
        name="政协临溪县委员会",
        short_name="临溪县政协",
        level=Organization.Level.COUNTY,
        parent=city,
        region_code="990121",
    )
    p_parts = _committee_parts(province, "省")
    c_parts = _committee_parts(city, "市")
    k_parts = _committee_parts(county, "县")
    p_term = _term(province, 13, "十三")
    c_term = _term(city, 9, "九")
    k_term = _term(county, 10, "十")

    accounts: dict[str, str] = {}
    admin = _user("admin", "系统管理员", "13900000000", is_staff=True, is_superuser=True)
    Role.objects.create(user=admin, org=province, kind=Role.Kind.ADMIN)
    accounts["admin"] = "系统管理员（全省）"

    named = [
        ("member1", "陈立新", "13900000001", Membership.Position.STANDING, 16, "江川大学教授"),
        ("member2", "李秀英", "13900000002", Membership.Position.MEMBER, 19, "省人民医院主任医师"),
        ("member3", "王志强", "13900000003", Membership.Position.MEMBER, 14, "江川能源集团董事长"),
    ]
    for username, name, phone, position, sector_i, workplace in named:
        user = _user(
            username, name, phone, workplace=workplace, gender="M" if name != "李秀英" else "F"
        )
        people.membership_add(
            actor=None,
            user=user,
            org=province,
            term=p_term,
            position=position,
            sector=p_parts["sectors"][sector_i],
            committee=p_parts["committees"][4],
            groups=[p_parts["groups"][0], p_parts["groups"][4]],
        )
        accounts[username] = f"省政协{'常委' if position == 'standing' else '委员'}"

    cm = _user("city_member1", "赵海燕", "13900000011", workplace="青州市第一中学校长", gender="F")
    people.membership_add(
        actor=None,
        user=cm,
        org=city,
        term=c_term,
        sector=c_parts["sectors"][16],
        committee=c_parts["committees"][4],
        groups=[c_parts["groups"][1]],
    )
    accounts["city_member1"] = "青州市政协委员"

    staff = [
        ("proposal_office", "周明", Role.Kind.PROPOSAL_OFFICE, "提案委员会办公室"),
        ("info_office", "吴静", Role.Kind.INFO_OFFICE, "信息处"),
        ("committee_office", "郑伟", Role.Kind.COMMITTEE_OFFICE, "研究室"),
        ("secretary_general", "孙国栋", Role.Kind.LEADER, "秘书长"),
        ("chair", "刘振华", Role.Kind.LEADER, "主席"),
    ]
    for i, (username, name, kind, title) in enumerate(staff):
        user = _user(username, name, f"139000001{i:02d}")
        Role.objects.create(user=user, org=province, kind=kind, title=title)
        if kind in (Role.Kind.PROPOSAL_OFFICE,):
            Role.objects.create(
                user=user, org=province, kind=Role.Kind.GENERAL_OFFICE, title="办公厅"
            )
        accounts[username] = f"省政协{title}"
    chair = User.objects.get(username="chair")
    people.membership_add(
        actor=None,
        user=chair,
        org=province,
        term=p_term,
        position=Membership.Position.CHAIR,
        sector=p_parts["sectors"][0],
    )
    sg = User.objects.get(username="secretary_general")
    people.membership_add(
        actor=None,
        user=sg,
        org=province,
        term=p_term,
        position=Membership.Position.SECRETARY_GENERAL,
        sector=p_parts["sectors"][0],
    )

    for username, name, phone, unit in (
        ("unit_edu", "黄文博", "13900000021", p_parts["units"][0]),
        ("unit_transport", "林宏亮", "13900000022", p_parts["units"][1]),
    ):
        user = _user(username, name, phone)
        people.unit_user_add(actor=None, user=user, unit=unit, is_manager=True)
        accounts[username] = f"承办单位：{unit.name}"

    informant = _user("informant1", "许晓东", "13900000031", workplace="江川日报社记者")
    Role.objects.create(user=informant, org=province, kind=Role.Kind.INFORMANT)
    accounts["informant1"] = "省政协特邀信息员"
    _user("public1", "马红梅", "13900000041", is_public=True)
    accounts["public1"] = "注册群众"

    _extra_members(province, p_term, p_parts, 40, rng, 13800100000, "p_member")
    _extra_members(city, c_term, c_parts, 20, rng, 13800200000, "c_member")
    _extra_members(county, k_term, k_parts, 15, rng, 13800300000, "k_member")

    for org, name in (
        (province, "省政协委员工作室（江川大学）"),
        (city, "青州市政协委员工作站（东城街道）"),
        (county, "临溪县政协协商议事室（城关镇）"),
    ):
        ws_kind = {province.pk: Workstation.Kind.STUDIO, city.pk: Workstation.Kind.STATION}.get(
            org.pk, Workstation.Kind.ROOM
        )
        ws = orgs.part_create(
            actor=None,
            model=Workstation,
            org=org,
            name=name,
            kind=ws_kind,
            address=name.split("（")[-1].rstrip("）"),
        )
        ws.members.set(Membership.objects.filter(org=org)[:3])
    _status_examples(province)
    seed_proposals(province)
    seed_opinions(province, city)
    seed_duty(province, city, county)
    return accounts


def _status_examples(province: Organization) -> None:
    """A suspended member and an exit waiting for the leaders, through the workflow."""
    office = User.objects.get(username="proposal_office")
    suspended = Membership.objects.get(org=province, user__username="p_member009")
    transition(
        suspended,
        "suspend",
        actor=office,
        reason="长期在外地挂职，本人申请暂停履职",
        date="2026-09-01",
    )
    leaving = Membership.objects.get(org=province, user__username="p_member005")
    transition(
        leaving,
        "propose_exit",
        actor=office,
        kind="transferred",
        reason="调任外省工作",
        date="2026-11-20",
    )
