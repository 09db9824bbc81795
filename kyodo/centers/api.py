from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from kyodo.centers.models import Center

router = Router(tags=["centers"])


class CenterOut(Schema):
    id: int
    name: str


@router.get("", response=list[CenterOut])
def list_centers(request: HttpRequest) -> list[Center]:
    return list(Center.objects.active())


@router.get("/{center_id}", response=CenterOut)
def get_center(request: HttpRequest, center_id: int) -> Center:
    return get_object_or_404(Center.objects.active(), pk=center_id)
