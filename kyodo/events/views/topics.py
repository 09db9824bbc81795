"""The shared vocabulary of topics (NPO会計, 子育て, 防災…), kept by the network
administrators; every center chooses its events' topics from it on the event form.

Who may change it is decided by ``actions.may_manage_topics`` (a network administrator,
through ``kyodo.centers.access``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kyodo.events import actions
from kyodo.events.forms import TopicForm
from kyodo.events.models import Topic
from kyodo.events.views.staff import _person, _staff_context


def _require_admin(request: HttpRequest) -> None:
    if not actions.may_manage_topics(request.user):
        raise PermissionDenied


def _save(request: HttpRequest, form: TopicForm) -> bool:
    if not form.is_valid():
        return False
    try:
        actions.save_topic(by=_person(request), topic=form.instance, request=request)
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


@require_http_methods(["GET", "POST"])
@login_required
def topics(request: HttpRequest) -> HttpResponse:
    """Every topic with the number of events using it; add one."""
    _require_admin(request)
    form = TopicForm(request.POST or None)
    if request.method == "POST" and _save(request, form):
        messages.success(request, _("The topic is added."))
        return redirect("events_staff:topics")
    context = _staff_context(request)
    context.update(
        {
            "form": form,
            "topics": Topic.objects.annotate(events=Count("event")).order_by("name_kana", "name"),
            "breadcrumbs": [(_("Events"), reverse("events_staff:list")), (_("Topics"), None)],
        }
    )
    status = 422 if request.method == "POST" else 200
    return TemplateResponse(request, "events/staff/topics.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def topic_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    topic = get_object_or_404(Topic, pk=pk)
    form = TopicForm(request.POST or None, instance=topic)
    if request.method == "POST" and _save(request, form):
        messages.success(request, _("The topic is saved."))
        return redirect("events_staff:topics")
    topic.refresh_from_db(fields=["name"])  # the heading names the topic as it is stored
    context = _staff_context(request)
    context.update(
        {
            "form": form,
            "topic": topic,
            "events": topic.event_set.count(),
            "breadcrumbs": [
                (_("Events"), reverse("events_staff:list")),
                (_("Topics"), reverse("events_staff:topics")),
                (topic.name, None),
            ],
        }
    )
    status = 422 if request.method == "POST" else 200
    return TemplateResponse(request, "events/staff/topic_form.html", context, status=status)


@require_POST
@login_required
def topic_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    topic = get_object_or_404(Topic, pk=pk)
    try:
        actions.delete_topic(by=_person(request), topic=topic, request=request)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("events_staff:topic_edit", pk=topic.pk)
    messages.success(request, _("The topic is deleted."))
    return redirect("events_staff:topics")
