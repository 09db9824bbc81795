"""The public directory of organizations, the page of each and its exports.

Only ``Organization.objects.public()`` is ever listed, and only what
``Organization.public_data()`` and ``public_contacts()`` give is shown: a field the group
kept private never reaches these pages, the exports or the API.
"""

from __future__ import annotations

from html import escape
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kyodo.organizations import exports, group_actions, prepared, search
from kyodo.organizations.forms import INDEX_ROWS, DirectoryFilterForm, directory_areas
from kyodo.organizations.models import (
    ActivityField,
    CertificationKind,
    DissolutionReason,
    LegalForm,
    NewsItem,
    Organization,
    OrganizationName,
    Status,
    load_listings,
)
from kyodo.ui.links import QueryLinks

PAGE_SIZE = 20
# The columns ``_cards`` reads: a page of results reads no other, so that its query
# selects and converts 7 columns rather than 41.
CARD_COLUMNS = ("name", "name_kana", "legal_form", "status", "prefecture", "municipality")
NEWS_ITEMS = 20
MAX_MERGE_HOPS = 5


def directory_form(request: HttpRequest) -> DirectoryFilterForm:
    """The filter form of the directory and its exports, bound to the query string."""
    form = DirectoryFilterForm(request.GET or None, areas=directory_areas())
    if form.is_bound:
        form.is_valid()  # invalid filters are shown on their fields and left out
    return form


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    """Search and filter the public directory; 20 organizations a page, counted up to
    1,000 ("1,000 or more": counting every match of a common word costs as much as the
    search).

    An htmx request (the filter form changed) gets only the results partial."""
    form = directory_form(request)
    page_obj = None
    if not form.query_too_short:
        page_obj = search.result_page(
            prepared.directory_rows(form, CARD_COLUMNS),
            search.page_number(request.GET.get("page")),
            per_page=PAGE_SIZE,
        )
        load_listings(page_obj.items, links=False)
    organizations = page_obj.items if page_obj is not None else []
    links = QueryLinks(request.GET)
    context = {
        "form": form,
        "page_obj": page_obj,
        "organizations": organizations,
        "cards": _cards(organizations),
        "count": page_obj.count if page_obj is not None else 0,
        "count_is_capped": page_obj.count_is_capped if page_obj is not None else False,
        "current_row": form.current_row,
        "index_links": [
            {"row": row, "url": links(row=row, page=None), "is_current": row == form.current_row}
            for row in INDEX_ROWS
        ],
        "all_rows_url": links(row=None, page=None),
        "first_page_url": links(page=None),
        "pages": _page_links(page_obj, links) if page_obj is not None else None,
        "breadcrumbs": [(_("Find an organization"), None)],
    }
    template = "organizations/directory.html"
    if getattr(request, "htmx", False):
        template += "#results"
    return TemplateResponse(request, template, context)


def _page_links(page_obj: search.ResultPage, links: QueryLinks) -> dict[str, Any]:
    """The links of ``_result_pages.html``: previous, the numbers (None for a gap), next."""
    return {
        "previous": links(page=page_obj.previous_page_number) if page_obj.has_previous else "",
        "next": links(page=page_obj.next_page_number) if page_obj.has_next else "",
        "numbers": [
            None
            if number is None
            else {
                "number": number,
                "url": links(page=number),
                "is_current": number == page_obj.number,
            }
            for number in page_obj.page_links()
        ],
    }


def _cards(organizations: list[Organization]) -> list[SafeString]:
    """The card of each result (``<li class="card">``): its name as a link to its page,
    legal form, 解散 and certification badges, reading, place, fields and areas of
    activity, and centers.

    Rendered here rather than in directory.html: the 20 cards of a page took about
    4,500 Python calls through the template, a fifth of the page, and ``format_html``
    about 2,600; plain f-strings with ``html.escape`` for every value take about 500.
    """
    path, today = exports.detail_paths(), timezone.localdate()
    # the labels of the model's choices, read once (get_FOO_display() costs ~25 µs)
    legal_forms = {value: escape(str(label)) for value, label in LegalForm.choices}
    certifications = {value: escape(str(label)) for value, label in CertificationKind.choices}
    location, fields, areas, centers = (
        escape(_("Location")),
        escape(_("Fields of activity")),
        escape(_("Areas of activity")),
        escape(_("Registered at")),
    )
    dissolved = f'<span class="badge badge--warning">{escape(_("Dissolved"))}</span>'
    cards = []
    for organization in organizations:
        listing = organization.listing
        legal_form = legal_forms.get(organization.legal_form) or escape(organization.legal_form)
        badges = [f'<span class="badge">{legal_form}</span>']
        if organization.is_dissolved:
            badges.append(dissolved)
        for certification in listing.certifications_in_force(today):
            label = certifications.get(certification.kind) or escape(certification.kind)
            badges.append(f'<span class="badge badge--success">{label}</span>')
        if organization.name_kana:
            badges.append(f'<span class="muted">{escape(organization.name_kana)}</span>')
        details = [
            (location, f"{organization.prefecture}{organization.municipality or ''}"),
            (fields, "、".join(listing.activity_field_labels)),
            (areas, "、".join(listing.activity_areas)),
            (
                centers,
                "、".join(
                    registration.center.name
                    for registration in exports.public_registrations(organization)
                ),
            ),
        ]
        rows = "".join(
            f"<dt>{label}</dt><dd>{escape(text)}</dd>" for label, text in details if text
        )
        cards.append(
            mark_safe(  # noqa: S308 (every value escaped above)
                f'<li class="card"><h2 class="card__title">'
                f'<a href="{escape(path(organization.pk))}">{escape(organization.name)}</a></h2>'
                f'<p class="cluster">{"".join(badges)}</p><dl>{rows}</dl></li>'
            )
        )
    return cards


def _public_or_redirect(pk: int) -> Organization | HttpResponse:
    organization = Organization.objects.public().filter(pk=pk).first()
    if organization is not None:
        return organization
    # A record merged into another: its page moved there.
    current = Organization.objects.filter(pk=pk, status=Status.MERGED).first()
    for _hop in range(MAX_MERGE_HOPS):
        if current is None or current.merged_into_id is None:
            break
        current = Organization.objects.filter(pk=current.merged_into_id).first()
        if current is not None and current.status != Status.MERGED:
            if current.is_public:
                return redirect("organizations:detail", pk=current.pk)
            break
    raise Http404(_("There is no organization with this number."))


@require_GET
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The public page of an organization: its public fields, registrations, former
    names and news."""
    found = _public_or_redirect(pk)
    if isinstance(found, HttpResponse):
        return found
    organization = (
        exports.for_public_listing(Organization.objects.filter(pk=found.pk))
        .prefetch_related("links")
        .get()
    )
    data = organization.public_data()
    former_names = list(
        organization.names.filter(kind=OrganizationName.Kind.FORMER).order_by("-valid_to", "name")
    )
    registrations = exports.public_registrations(organization)
    context: dict[str, Any] = {
        "organization": organization,
        "data": data,
        "contacts": organization.public_contacts(),
        "fields": [ActivityField(code).label for code in sorted(data["activity_fields"])],
        "certifications": [
            {**c, "label": CertificationKind(c["kind"]).label} for c in data["certifications"]
        ],
        "dissolution_reason": (
            DissolutionReason(data["dissolution_reason"]).label
            if data["dissolution_reason"]
            else ""
        ),
        "registrations": registrations,
        "former_names": former_names,
        "news_items": _news_items(organization),
        "json_ld": json_ld(request, organization, data, former_names),
        "breadcrumbs": [
            (_("Find an organization"), reverse("organizations:list")),
            (organization.name, None),
        ],
    }
    context.update(_group_context(request, organization))
    return TemplateResponse(request, "organizations/detail.html", context)


def _news_items(organization: Organization) -> list[NewsItem]:
    return list(NewsItem.objects.published().filter(organization=organization)[:NEWS_ITEMS])


def _group_context(request: HttpRequest, organization: Organization) -> dict[str, Any]:
    """The person's claim or membership of the group, if any."""
    return {"membership": group_actions.membership_of(request.user, organization)}


def json_ld(
    request: HttpRequest,
    organization: Organization,
    data: dict[str, Any],
    former_names: list[OrganizationName],
) -> dict[str, Any]:
    """schema.org ``Organization`` data of the page, from the public fields only."""
    address: dict[str, Any] = {
        "@type": "PostalAddress",
        "addressCountry": "JP",
        "addressRegion": data["prefecture"],
        "addressLocality": data["municipality"],
    }
    if data["postcode"]:  # the group made its whole address public
        address["postalCode"] = data["postcode"]
        street = data["address"].removeprefix(f"{data['prefecture']}{data['municipality']}")
        if street:
            address["streetAddress"] = street
    ld: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "@id": request.build_absolute_uri(),
        "url": request.build_absolute_uri(
            reverse("organizations:detail", kwargs={"pk": organization.pk})
        ),
        "name": data["name"],
        "address": address,
    }
    if data["name_kana"]:
        ld["alternateName"] = data["name_kana"]
    if former_names:
        ld["alternateName"] = [
            *([data["name_kana"]] if data["name_kana"] else []),
            *(name.name for name in former_names),
        ]
    if data["corporate_number"]:
        ld["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "法人番号",
            "value": data["corporate_number"],
        }
    if data["purpose"]:
        ld["description"] = data["purpose"]
    if data["established_on"]:
        ld["foundingDate"] = data["established_on"].isoformat()
    if data["dissolved_on"]:
        ld["dissolutionDate"] = data["dissolved_on"].isoformat()
    contacts = data["contacts"]
    for kind, key in (("phone", "telephone"), ("fax", "faxNumber"), ("email", "email")):
        if contacts.get(kind):
            ld[key] = contacts[kind]
    same_as = [data["website"]] if data["website"] else []
    same_as += [link["url"] for link in data["links"]]
    if same_as:
        ld["sameAs"] = same_as
    if data["activity_areas"]:
        ld["areaServed"] = data["activity_areas"]
    if data["activity_fields"]:
        ld["knowsAbout"] = [str(ActivityField(code).label) for code in data["activity_fields"]]
    return ld


# --- Exports ------------------------------------------------------------------------------------


def _export_rows(request: HttpRequest) -> Any:
    form = directory_form(request)
    return form.filter(Organization.objects.public())


def _file_name(extension: str) -> str:
    return f"organizations-{timezone.localdate():%Y%m%d}.{extension}"


@require_GET
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The directory with the current filters as CSV (UTF-8 with BOM, CRLF), streamed."""
    response = StreamingHttpResponse(
        exports.csv_lines(_export_rows(request), absolute_url=request.build_absolute_uri),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_file_name("csv")}"'
    return response


@require_GET
def export_json(request: HttpRequest) -> StreamingHttpResponse:
    """The directory with the current filters as JSON, streamed."""
    response = StreamingHttpResponse(
        exports.json_chunks(_export_rows(request), absolute_url=request.build_absolute_uri),
        content_type="application/json",
    )
    response["Content-Disposition"] = f'attachment; filename="{_file_name("json")}"'
    return response
