"""A job's page follows its job through a few bytes of state (``job-state``), read again in full only
when they change; another person's job is a 404 there too."""

import pytest
from django.urls import reverse

from ita_portal import jobs
from tests.factories import JobFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_state_changes_when_what_the_page_shows_changes(client):
    job = JobFactory()
    client.force_login(job.created_by)
    url = reverse("job-state", kwargs={"public_id": job.public_id})
    page = client.get(job.get_absolute_url()).content.decode()
    first = client.get(url)
    assert first["Cache-Control"] == "no-store" and first.json() == {"state": job.state, "finished": False}
    assert f'data-state="{job.state}"' in page and f'data-follow="{url}"' in page
    jobs.progress(job.pk, done=3, total=10)
    moved = client.get(url).json()["state"]
    assert moved != first.json()["state"]
    jobs.finish(job.pk, message="เสร็จแล้ว")
    done = client.get(url).json()
    assert done["finished"] and done["state"] != moved
    assert "data-follow" not in client.get(job.get_absolute_url()).content.decode()  # nothing left to follow


def test_another_persons_job_state_is_a_404(client):
    job = JobFactory()
    client.force_login(UserFactory())
    assert client.get(reverse("job-state", kwargs={"public_id": job.public_id})).status_code == 404
