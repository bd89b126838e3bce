"""转办 down the tree and 逐级核查 back up: city → 东湖区 → 湖滨街道 → 和平社区 and back, 退回 one tier
up, lights and counts that follow the holder without counting a task twice, illegal moves refused."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from campaign.models import Event, Notification
from campaign.models.workdays import WorkCalendar
from tasks.models import Hop, Light, RectificationTask, State, TaskAction, TaskRelay, TransitionError, moment
from tasks.models import TransitionForbidden as Forbidden
from tasks.selectors.relay import chain_of
from tasks.services import task_transition
from tasks.services.relay import relay_act, relay_allowed

from ..factories import OrgUnitFactory, make_task, person, persona
from .lifecycle_kit import later, photo_upload, reference, today


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def ref(city, media):
    return reference(city)


@pytest.fixture
def people(city, office_clerk, liaison_a, liaison_b):
    return {"office": office_clerk, "district": persona("liaison_district", city), "street": liaison_a,
            "community": persona("liaison_community", city), "north": liaison_b,
            "bureau": persona("liaison_bureau", city)}


@pytest.fixture
def task(ref, city, people):
    """Handed by the city to 东湖区, due in 20 days, signed by the district."""
    task = make_task(ref, actor=people["office"], unit=city.east, due=later(20))
    task_transition(task=task, actor=people["district"], action="sign")
    return task


def step(task, user, action, **kwargs):
    return relay_act(task=task, actor=user, action=action, **kwargs)


def down_two_tiers(task, city, people):
    step(task, people["district"], "relay_pass", to_unit=city.unit_a, due_date=later(15), note="请湖滨街道办理")
    step(task, people["street"], "relay_sign")
    step(task, people["street"], "relay_pass", to_unit=city.community_a, due_date=later(10))
    step(task, people["community"], "relay_sign")


def inbox(user):
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def visible_ids(user):
    return set(RectificationTask.objects.visible_to(user).values_list("pk", flat=True))


def test_walk_down_to_the_community_and_back_up_with_checks_at_every_tier(task, city, people, client):
    down_two_tiers(task, city, people)
    chain = chain_of(task)
    assert chain.holder == city.community_a and chain.holder_due == later(10)
    assert [h.to_unit.name for h in chain.open] == ["湖滨街道", "和平社区"]
    assert any("转办任务待签收" in t for t in inbox(people["street"]))
    assert any("转办任务待签收" in t for t in inbox(people["community"]))
    # One task, one number, one history; each tier sees it.
    assert RectificationTask.objects.count() == 1
    for who in ("district", "street", "community"):
        assert task.pk in visible_ids(people[who])
    assert task.pk not in visible_ids(people["north"])
    # The district cannot submit past the units below it.
    with pytest.raises(TransitionError, match="转办给下级单位办理"):
        task_transition(task=task, actor=people["district"], action="submit", note="x", files=[photo_upload()])

    # The community submits to the street (逐级核查), which sends it back once, then passes it up.
    step(task, people["community"], "relay_submit", note="已清理", files=[photo_upload()])
    assert chain_of(task).front.state == Hop.SUBMITTED
    assert any("提交核查" in t for t in inbox(people["street"]))
    assert not any("提交销号" in t for t in inbox(people["office"]))
    step(task, people["street"], "relay_reject", note="角落未清理")
    assert chain_of(task).front.state == Hop.REWORK and chain_of(task).front.rework_count == 1
    assert any("退回重改" in t for t in inbox(people["community"]))
    step(task, people["community"], "relay_submit", note="已全部清理", files=[photo_upload(colour=(9, 9, 9))])
    step(task, people["street"], "relay_approve", note="现场核实")
    street_hop = chain_of(task).front
    assert street_hop.to_unit == city.unit_a and street_hop.state == Hop.SUBMITTED
    assert any("提交核查" in t for t in inbox(people["district"]))

    # The district verifies: that is its 提交销号 to the office, with the photos from below.
    step(task, people["district"], "relay_approve")
    task.refresh_from_db()
    assert task.state == State.SUBMITTED and task.front_due_date is None
    assert any("提交销号待核查" in t for t in inbox(people["office"]))
    assert task.photos.filter(kind="after").count() == 2
    assert "和平社区整改情况" in task.actions.filter(action="submit").get().note
    task_transition(task=task, actor=people["office"], action="approve")
    assert task.state == State.CLOSED
    assert TaskRelay.objects.filter(task=task, state=Hop.DONE).count() == 2
    assert Event.objects.filter(verb__startswith="task.relay_", target_id=str(task.pk)).count() == 10

    # The task page shows the chain that went down and came back up.
    client.force_login(people["district"])
    page = client.get(task.get_absolute_url()).content.decode()
    assert 'data-testid="relay-chain"' in page
    assert page.index("东湖区") < page.index("湖滨街道") < page.index("和平社区")


def test_a_return_at_the_community_goes_to_the_street_which_passes_it_on_or_keeps_it(task, city, people):
    down_two_tiers(task, city, people)
    step(task, people["community"], "relay_return", note="不在本社区")
    chain = chain_of(task)
    assert chain.holder == city.unit_a and chain.front.state == Hop.WORKING
    assert any("转办任务被退回" in t for t in inbox(people["street"]))
    assert not any("退回" in t for t in inbox(people["district"]) + inbox(people["office"]))
    task.refresh_from_db()
    assert task.state == State.IN_PROGRESS and task.front_due_date == later(15)

    other = OrgUnitFactory(name="滨江社区", kind="community", parent=city.unit_a)
    step(task, people["street"], "relay_pass", to_unit=other, due_date=later(12))
    assert chain_of(task).holder == other
    step(task, people["street"], "relay_withdraw", note="街道自行办理")
    assert chain_of(task).holder == city.unit_a
    # The street takes it back and does the work itself, then submits to the district.
    step(task, people["street"], "relay_submit", note="街道已整改", files=[photo_upload()])
    assert chain_of(task).front.state == Hop.SUBMITTED
    assert [h.state for h in chain_of(task).hops] == [Hop.SUBMITTED, Hop.RETURNED, Hop.WITHDRAWN]


def test_lights_follow_the_deepest_hop_and_counts_count_tasks_not_hops(task, ref, city, people):
    make_task(ref, actor=people["office"], unit=city.north, due=later(20), title="江北问题")
    down_two_tiers(task, city, people)
    task.refresh_from_db()
    assert task.front_due_date == later(10)
    tasks = RectificationTask.objects.all()
    day = later(11)
    with time_machine.travel(day + timedelta(hours=12), tick=False):
        # The community's hop is overdue: the district (accountable) is red though its own
        # deadline has not come.
        assert task.light_on(day) == Light.RED
        assert tasks.with_light(day).get(pk=task.pk).light_code == Light.RED
        assert set(tasks.lit(Light.RED, day).values_list("pk", flat=True)) == {task.pk}
        assert tasks.lit(Light.GREEN, day).count() + tasks.lit(Light.YELLOW, day).count() == 1
        status = task.due_status(WorkCalendar(day, task.due_date), moment(day))
        assert status.light == Light.RED and "下级承办单位超期" in status.text
    # Counts: the city's equals the districts' sum; every tier sees the task once.
    city_count = RectificationTask.objects.visible_to(people["office"]).count()
    north_district = person("liaison_north", "liaison", city.north)
    by_district = [RectificationTask.objects.visible_to(u).count() for u in (people["district"], north_district)]
    assert city_count == sum(by_district) == 2
    for who in ("street", "community"):
        assert RectificationTask.objects.visible_to(people[who]).count() == 1


def test_the_list_shows_a_relayed_task_once_to_each_tier_with_its_own_deadline(task, city, people, client):
    down_two_tiers(task, city, people)
    own = {"district": later(20), "street": later(15), "community": later(10)}
    for who, due in own.items():
        client.force_login(people[who])
        page = client.get(reverse("tasks:index")).content.decode()
        assert page.count(f">{task.number}</a>") == 1, who
        assert "东湖区 → 和平社区" in page and due.isoformat() in page, who
        assert ("本单位转办期限" in page) is (who != "district"), who


def test_the_chase_ladder_reaches_every_tier_holding_the_task_once(task, city, people):
    from campaign.models.workdays import is_workday
    from tasks.services.chase import chase_run

    down_two_tiers(task, city, people)
    day = later(21)
    while not is_workday(day):
        day += timedelta(days=1)
    with time_machine.travel(day + timedelta(hours=10), tick=False):
        chase_run(today=day)
    for who in ("district", "street", "community"):
        assert sum("催办通知" in t for t in inbox(people[who])) == 1, who
    assert not any("催办" in t for t in inbox(people["north"]))


def test_illegal_moves_are_refused_and_change_nothing(task, ref, city, people, client):
    before = (TaskRelay.objects.count(), TaskAction.objects.count(), Event.objects.count())
    district = people["district"]
    with pytest.raises(TransitionError, match="下级单位，江北街道不在其下"):
        step(task, district, "relay_pass", to_unit=city.unit_b, due_date=later(5))
    with pytest.raises(TransitionError, match="下级单位"):
        step(task, district, "relay_pass", to_unit=city.east, due_date=later(5))
    with pytest.raises(TransitionError, match="不能晚于本单位的期限"):
        step(task, district, "relay_pass", to_unit=city.unit_a, due_date=later(21))
    with pytest.raises(TransitionError, match="不能早于今天"):
        step(task, district, "relay_pass", to_unit=city.unit_a, due_date=today() - timedelta(days=1))
    with pytest.raises(Forbidden, match="东湖区"):
        step(task, people["street"], "relay_pass", to_unit=city.community_a, due_date=later(5))
    unsigned = make_task(ref, actor=people["office"], unit=city.east, due=later(20), title="未签收")
    with pytest.raises(TransitionError, match="请先签收"):
        step(unsigned, district, "relay_pass", to_unit=city.unit_a, due_date=later(5))
    assert (TaskRelay.objects.count(), TaskAction.objects.count() - 1, Event.objects.count() - 1) == before

    step(task, district, "relay_pass", to_unit=city.unit_a, due_date=later(15))
    with pytest.raises(TransitionError, match="请先签收上级转办"):
        step(task, people["street"], "relay_pass", to_unit=city.community_a, due_date=later(10))
    step(task, people["street"], "relay_sign")
    with pytest.raises(TransitionError, match="不能晚于本单位的期限 " + later(15).isoformat()):
        step(task, people["street"], "relay_pass", to_unit=city.community_a, due_date=later(16))
    with pytest.raises(TransitionError, match="整改后照片"):
        step(task, people["street"], "relay_submit", note="x")
    with pytest.raises(Forbidden):
        step(task, people["community"], "relay_sign")  # nothing was passed to the community

    # Through the page: a forged unit id and a foreign task id.
    hops = TaskRelay.objects.count()
    client.force_login(people["street"])
    url = reverse("tasks:relay_pass", args=[task.pk])
    response = client.post(url, {"to_unit": city.unit_b.pk, "due_date": later(5).isoformat(), "note": ""})
    assert response.status_code == 200 and "江北街道不在其下" in response.content.decode()
    response = client.post(url, {"to_unit": 999999, "due_date": later(5).isoformat()})
    assert "所选单位不存在" in response.content.decode()
    client.force_login(people["north"])
    assert client.get(url).status_code == 404
    assert client.post(url, {"to_unit": city.community_a.pk, "due_date": later(5).isoformat()}).status_code == 404
    assert TaskRelay.objects.count() == hops


def test_a_department_passes_to_its_sub_unit_and_the_page_offers_the_step(ref, city, people, client):
    squad = OrgUnitFactory(name="市城管局执法支队", parent=city.bureau)
    squad_liaison = people["bureau"]
    task = make_task(ref, actor=people["office"], unit=city.bureau, due=later(20))
    task_transition(task=task, actor=squad_liaison, action="sign")
    assert [a["code"] for a in relay_allowed(chain_of(task), squad_liaison)] == ["relay_pass"]
    client.force_login(squad_liaison)
    page = client.get(task.get_absolute_url()).content.decode()
    assert 'data-action="relay_pass"' in page
    form = client.get(reverse("tasks:relay_pass", args=[task.pk])).content.decode()
    assert "市城管局执法支队" in form and "湖滨街道" not in form
    response = client.post(reverse("tasks:relay_pass", args=[task.pk]),
                           {"to_unit": squad.pk, "due_date": later(8).isoformat(), "note": "请支队办理"})
    assert response.status_code == 302
    assert chain_of(task).holder == squad


def test_to_do_cards_follow_the_front_hop(task, city, people, client):
    def cards(who):
        client.force_login(people[who])
        return {c["label"]: c["count"] for c in client.get(reverse("home")).context["todos"]}

    step(task, people["district"], "relay_pass", to_unit=city.unit_a, due_date=later(15))
    assert cards("street")["待签收"] == 1 and cards("district")["待整改"] == 0
    step(task, people["street"], "relay_sign")
    step(task, people["street"], "relay_pass", to_unit=city.community_a, due_date=later(10))
    step(task, people["community"], "relay_sign")
    assert (cards("community")["待整改"], cards("street")["待整改"]) == (1, 0)
    step(task, people["community"], "relay_submit", note="已整改", files=[photo_upload()])
    assert cards("street")["下级提交待核查"] == 1 and cards("community")["待整改"] == 0
    with time_machine.travel(later(11), tick=False):
        assert [cards(w)["本单位已超期"] for w in ("district", "street", "community")] == [1, 1, 1]
