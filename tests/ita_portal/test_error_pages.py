"""The error pages speak Thai: 400, 403 (and a failed CSRF check), 404 and 500."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views import defaults

pytestmark = pytest.mark.django_db


def test_404_is_thai(client):
    response = client.get("/ไม่มีหน้านี้/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "ไม่พบหน้าที่ต้องการ" in body and '<html lang="th">' in body
    assert "Not Found" not in body


@pytest.mark.parametrize(
    "view,status,text",
    [
        (lambda r: defaults.bad_request(r, Exception()), 400, "คำขอไม่ถูกต้อง"),
        (lambda r: defaults.permission_denied(r, PermissionDenied()), 403, "ท่านไม่มีสิทธิ์ทำรายการนี้"),
        (lambda r: defaults.server_error(r), 500, "ระบบขัดข้องชั่วคราว"),
    ],
)
def test_error_pages_are_thai(view, status, text):
    response = view(RequestFactory().get("/"))
    assert response.status_code == status
    assert text in response.content.decode()


def test_a_failed_csrf_check_says_in_thai_that_nothing_was_saved(django_user_model):
    user = django_user_model.objects.create_user("csrf", password="x")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    assert "ข้อมูลยังไม่ได้บันทึก" in response.content.decode()
