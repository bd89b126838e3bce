"""A double click on a POST form's button sends one request: the button is disabled while the
request is in flight (static/campaign/app.js), and the server keeps the form to one object anyway."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from campaign.models import Oversight

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def test_a_double_click_sends_the_form_once_and_the_button_waits(login_page, live_server, static_plain, office_clerk,
                                                                 leader, city):
    page = login_page(office_clerk)
    url = f"{live_server.url}{reverse('reference:oversight_create')}"
    posts = []

    def hold(route):
        # Answer with "no content": the page stays, as it does while a slow server is working.
        if route.request.method == "POST":
            posts.append(route.request.post_data)
            route.fulfill(status=204, body="")
        else:
            route.continue_()

    page.goto(url)
    page.select_option("#id_leader", str(leader.pk))
    page.select_option("#id_unit", str(city.east.pk))
    page.route(url, hold)
    button = page.locator("[data-testid=oversight-form] [type=submit]")
    button.dblclick()
    expect(button).to_be_disabled()
    button.click(force=True)
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert len(posts) == 1 and "form_token" in posts[0]

    # The real server, with the same page sent twice (the guard that does not rely on the browser).
    page.unroute(url)
    page.goto(url)
    page.select_option("#id_leader", str(leader.pk))
    page.select_option("#id_unit", str(city.east.pk))
    page.evaluate("""() => { const f = document.querySelector("[data-testid=oversight-form]");
                             const copy = new FormData(f);
                             return Promise.all([fetch(f.action || location.href, {method: "POST", body: copy}),
                                                 fetch(f.action || location.href, {method: "POST", body: copy})]); }""")
    assert Oversight.objects.filter(unit=city.east).count() == 1
