"""Factories and the fixed personas every test module uses.

The world: a province with a city under it and two counties under the city (A and B).
Personas (healthchecks' alice/bob/charlie): ``member`` (province), ``county_a_member``,
``county_b_member``, ``general_office`` and ``admin`` (province), ``leader`` (province),
``county_a_office`` (general office of county A), ``unit_user``, ``public`` (no roles).
Every persona's password is ``PASSWORD``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

import factory
from django.test import Client

from shangliang.accounts.models import Membership, Role, UnitUser, User
from shangliang.orgs.models import Committee, Group, Organization, Sector, Session, Term, Unit

PASSWORD = "Test#Pass2026"
_phone = itertools.count(13700000000)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"测试用户{n}")
    phone = factory.LazyFunction(lambda: str(next(_phone)))
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


def make_org(name: str, level: int, parent: Organization | None = None) -> Organization:
    org = Organization.objects.create(name=name, level=level, parent=parent, short_name=name[:10])
    org.path = f"{parent.path if parent else '/'}{org.pk}/"
    org.save(update_fields=["path"])
    return org


def make_term(org: Organization, number: int = 1) -> Term:
    term = Term.objects.create(
        org=org, number=number, name=f"第{number}届", starts_on=dt.date(2023, 1, 1), is_current=True
    )
    Session.objects.create(
        term=term,
        number=1,
        name=f"{org.name}一次会议",
        opens_on=dt.date(2027, 1, 11),
        closes_on=dt.date(2027, 1, 15),
        proposal_deadline=dt.datetime(2027, 1, 13, 10, 0, tzinfo=dt.UTC),
    )
    return term


def make_member(org: Organization, term: Term, **user_kwargs: Any) -> Membership:
    user = UserFactory(**user_kwargs)
    sector = Sector.objects.filter(org=org).first()
    return Membership.objects.create(user=user, org=org, term=term, sector=sector)


def make_role(org: Organization, kind: str, **user_kwargs: Any) -> User:
    user = UserFactory(**user_kwargs)
    Role.objects.create(user=user, org=org, kind=kind)
    return user


@dataclass
class World:
    province: Organization
    city: Organization
    county_a: Organization
    county_b: Organization
    terms: dict[int, Term]
    member: User
    member_m: Membership
    county_a_member: User
    county_a_member_m: Membership
    county_b_member: User
    county_b_member_m: Membership
    admin: User
    general_office: User
    leader: User
    county_a_office: User
    county_a_leader: User
    unit_user: User
    unit: Unit
    public: User
    info_office: User | None = None  # 信息处 of the province (opinion_personas)
    informant: User | None = None  # 特邀信息员 of the province (opinion_personas)

    def client_for(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client


def build_world() -> World:
    province = make_org("政协测试省委员会", Organization.Level.PROVINCE)
    city = make_org("政协测试市委员会", Organization.Level.CITY, province)
    county_a = make_org("政协甲县委员会", Organization.Level.COUNTY, city)
    county_b = make_org("政协乙县委员会", Organization.Level.COUNTY, city)
    terms = {}
    for org in (province, city, county_a, county_b):
        Sector.objects.create(org=org, name="教育界", order=1)
        Sector.objects.create(org=org, name="经济界", order=2)
        Committee.objects.create(org=org, name="提案委员会")
        Group.objects.create(org=org, name="第一学习组", kind=Group.Kind.STUDY)
        terms[org.pk] = make_term(org)
    member_m = make_member(
        province, terms[province.pk], username="member", name="省委员甲", workplace="测试大学教授"
    )
    a_m = make_member(
        county_a, terms[county_a.pk], username="a_member", name="甲县委员", phone="13711110001"
    )
    b_m = make_member(
        county_b, terms[county_b.pk], username="b_member", name="乙县委员", phone="13711110002"
    )
    unit = Unit.objects.create(org=province, name="测试省教育厅")
    unit_user = UserFactory(username="unit", name="教育厅联络员")
    UnitUser.objects.create(user=unit_user, unit=unit)
    return World(
        province=province,
        city=city,
        county_a=county_a,
        county_b=county_b,
        terms=terms,
        member=member_m.user,
        member_m=member_m,
        county_a_member=a_m.user,
        county_a_member_m=a_m,
        county_b_member=b_m.user,
        county_b_member_m=b_m,
        admin=make_role(province, Role.Kind.ADMIN, username="admin", name="管理员"),
        general_office=make_role(
            province, Role.Kind.GENERAL_OFFICE, username="office", name="办公厅"
        ),
        leader=make_role(province, Role.Kind.LEADER, username="leader", name="秘书长"),
        county_a_office=make_role(
            county_a, Role.Kind.GENERAL_OFFICE, username="a_office", name="甲县办公室"
        ),
        county_a_leader=make_role(county_a, Role.Kind.LEADER, username="a_leader", name="甲县主席"),
        unit_user=unit_user,
        unit=unit,
        public=UserFactory(username="public", name="群众", is_public=True),
    )


def opinion_personas(world: World) -> World:
    """Add the opinion-report personas to a world: ``info_office`` (信息处 of the province)
    and ``informant`` (特邀信息员 of the province). Only the tests that need them call this."""
    world.info_office = make_role(
        world.province, Role.Kind.INFO_OFFICE, username="info_office", name="信息处编辑"
    )
    world.informant = make_role(
        world.province, Role.Kind.INFORMANT, username="informant", name="特邀信息员"
    )
    return world
